//! Small wrappers over the browser APIs the page uses (storage, location and history, downloads,
//! file reading, the clipboard, timing), each returning a `Result`/`Option` instead of throwing.

use js_sys::{Array, Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, BlobPropertyBag, DataTransfer, File, FileSystemDirectoryEntry, FileSystemEntry,
    FileSystemFileEntry, HtmlAnchorElement, Storage, Url, Window,
};

pub fn window() -> Option<Window> {
    web_sys::window()
}

/// Milliseconds from the page's time origin (monotonic).
pub fn now_ms() -> f64 {
    window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

fn storage() -> Option<Storage> {
    window().and_then(|w| w.local_storage().ok().flatten())
}

pub fn storage_get(key: &str) -> Option<String> {
    storage().and_then(|s| s.get_item(key).ok().flatten())
}

/// Stores a value; the error says why the browser refused (quota, private mode).
pub fn storage_set(key: &str, value: &str) -> Result<(), String> {
    let s = storage().ok_or("this browser keeps no local storage for the page")?;
    s.set_item(key, value).map_err(|e| js_message(&e))
}

/// The text of a thrown JS value (an Error's message, or the value as text).
pub fn js_message(e: &JsValue) -> String {
    if let Some(err) = e.dyn_ref::<js_sys::Error>() {
        return String::from(err.message());
    }
    e.as_string().unwrap_or_else(|| format!("{e:?}"))
}

/// The URL fragment without its `#` (percent-decoding is not needed: links use base64url).
pub fn location_hash() -> String {
    window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_string())
        .unwrap_or_default()
}

/// The page's URL without the fragment.
pub fn page_url() -> String {
    window()
        .and_then(|w| w.location().href().ok())
        .map(|h| h.split('#').next().unwrap_or("").to_string())
        .unwrap_or_default()
}

/// Replaces the URL's fragment without a new history entry (and without `hashchange`).
pub fn replace_hash(fragment: Option<&str>) {
    let Some(history) = window().and_then(|w| w.history().ok()) else {
        return;
    };
    let url = match fragment {
        Some(f) => format!("{}#{f}", page_url()),
        None => page_url(),
    };
    let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
}

/// Offers bytes as a file download.
pub fn download(name: &str, mime: &str, bytes: &[u8]) -> Result<(), String> {
    let array = Uint8Array::from(bytes);
    let parts = Array::of1(&array);
    let opts = BlobPropertyBag::new();
    opts.set_type(mime);
    let blob =
        Blob::new_with_u8_array_sequence_and_options(&parts, &opts).map_err(|e| js_message(&e))?;
    let url = Url::create_object_url_with_blob(&blob).map_err(|e| js_message(&e))?;
    let doc = window().and_then(|w| w.document()).ok_or("no document")?;
    let a: HtmlAnchorElement = doc
        .create_element("a")
        .map_err(|e| js_message(&e))?
        .dyn_into()
        .map_err(|_| "not an anchor")?;
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = Url::revoke_object_url(&url);
    Ok(())
}

/// Reads a picked or dropped file's bytes.
pub async fn read_file(file: &File) -> Result<Vec<u8>, String> {
    let buf = JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| js_message(&e))?;
    Ok(Uint8Array::new(&buf).to_vec())
}

/// Copies text to the clipboard.
pub async fn copy_text(text: &str) -> Result<(), String> {
    let clipboard = window().ok_or("no window")?.navigator().clipboard();
    JsFuture::from(clipboard.write_text(text))
        .await
        .map(|_| ())
        .map_err(|e| js_message(&e))
}

/// Files picked through an `<input type=file>` (with `webkitRelativePath` when a folder was
/// picked), read into memory.
pub async fn read_file_list(list: &web_sys::FileList) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut out = Vec::new();
    for i in 0..list.length() {
        let Some(file) = list.item(i) else { continue };
        // webkitRelativePath (set when a folder was picked) is not in web-sys's File
        let rel = js_sys::Reflect::get(&file, &JsValue::from_str("webkitRelativePath"))
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        let name = if rel.is_empty() { file.name() } else { rel };
        out.push((name, read_file(&file).await?));
    }
    Ok(out)
}

/// What was dropped: files with their paths (folders walked), and whether a folder was among
/// them.
pub struct Dropped {
    pub files: Vec<(String, Vec<u8>)>,
    pub had_folder: bool,
}

/// Reads everything dropped on the page, walking dropped folders (the File and Directory
/// Entries API), with a cap on the number of files.
pub async fn read_drop(dt: &DataTransfer, max_files: usize) -> Result<Dropped, String> {
    let items = dt.items();
    let mut entries = Vec::new();
    let mut plain = Vec::new();
    for i in 0..items.length() {
        let Some(item) = items.get(i) else { continue };
        match item.webkit_get_as_entry() {
            Ok(Some(entry)) => entries.push(entry),
            _ => {
                if let Ok(Some(f)) = item.get_as_file() {
                    plain.push(f);
                }
            }
        }
    }
    let mut out = Dropped {
        files: Vec::new(),
        had_folder: false,
    };
    for f in plain {
        out.files.push((f.name(), read_file(&f).await?));
    }
    let mut stack: Vec<(String, FileSystemEntry)> =
        entries.into_iter().map(|e| (String::new(), e)).collect();
    while let Some((prefix, entry)) = stack.pop() {
        if out.files.len() >= max_files {
            return Err(format!("more than {max_files} files were dropped"));
        }
        let path = if prefix.is_empty() {
            entry.name()
        } else {
            format!("{prefix}/{}", entry.name())
        };
        if entry.is_directory() {
            out.had_folder = true;
            let dir: FileSystemDirectoryEntry = entry.unchecked_into();
            for child in read_dir(&dir).await? {
                stack.push((path.clone(), child));
            }
        } else {
            let file_entry: FileSystemFileEntry = entry.unchecked_into();
            let file = entry_file(&file_entry).await?;
            out.files.push((path, read_file(&file).await?));
        }
    }
    Ok(out)
}

/// All entries of a dropped folder (readEntries answers in batches until an empty one).
async fn read_dir(dir: &FileSystemDirectoryEntry) -> Result<Vec<FileSystemEntry>, String> {
    let reader = dir.create_reader();
    let mut all = Vec::new();
    loop {
        let promise = Promise::new(&mut |resolve, reject| {
            let _ = reader.read_entries_with_callback_and_callback(&resolve, &reject);
        });
        let batch = JsFuture::from(promise).await.map_err(|e| js_message(&e))?;
        let batch: Array = batch.unchecked_into();
        if batch.length() == 0 {
            return Ok(all);
        }
        for e in batch.iter() {
            all.push(e.unchecked_into());
        }
    }
}

async fn entry_file(entry: &FileSystemFileEntry) -> Result<File, String> {
    let promise = Promise::new(&mut |resolve, reject| {
        entry.file_with_callback_and_callback(&resolve, &reject);
    });
    JsFuture::from(promise)
        .await
        .map(JsCast::unchecked_into)
        .map_err(|e| js_message(&e))
}

/// Sets `data-theme` on `<html>` (`light`, `dark`, or none to follow the system).
pub fn apply_theme(theme: &str) {
    if let Some(root) = window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = if theme == "light" || theme == "dark" {
            root.set_attribute("data-theme", theme)
        } else {
            root.remove_attribute("data-theme")
        };
    }
}
