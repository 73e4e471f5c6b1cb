// ChartLab's code editor: CodeMirror 6, bundled by esbuild (scripts/build-editor) into one
// classic script that trunk copies into dist/. It exposes `window.ChartLabEditor`, which the
// Rust UI (src/ui/editor.rs) drives through wasm-bindgen; without it the UI falls back to a
// plain <textarea>.
//
// Language: YAML with Go template actions on top. `{{ … }}` is tokenized as Go's text/template
// lexer sees it (keywords, pipelines, variables, fields, strings, numbers, comments) and the
// YAML between actions by CodeMirror's YAML mode, the way CodeMirror 5's multiplexing modes
// did it: the YAML tokenizer only ever sees the text up to the next `{{`.
// Trim markers (`{{- ` and ` -}}`) get their own colour, and whitespace is made visible, since
// both decide what Helm prints.

import { EditorState, EditorSelection, Compartment, StateEffect, StateField } from "@codemirror/state";
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter,
  highlightSpecialChars, drawSelection, highlightWhitespace, highlightTrailingWhitespace,
  Decoration, rectangularSelection, crosshairCursor,
} from "@codemirror/view";
import {
  StreamLanguage, HighlightStyle, syntaxHighlighting, indentUnit, bracketMatching,
  foldGutter, foldKeymap, indentOnInput,
} from "@codemirror/language";
import { defaultKeymap, history, historyKeymap, indentLess, indentMore } from "@codemirror/commands";
import { search, searchKeymap, highlightSelectionMatches } from "@codemirror/search";
import { lintGutter, setDiagnostics } from "@codemirror/lint";
import { yaml } from "@codemirror/legacy-modes/mode/yaml";
import { tags as t, Tag } from "@lezer/highlight";

const trimTag = Tag.define();
const actionTag = Tag.define();

const KEYWORDS = new Set([
  "if", "else", "end", "range", "with", "define", "template", "block", "break", "continue", "nil",
]);
const BUILTINS = new Set([
  "and", "or", "not", "len", "index", "slice", "print", "printf", "println", "html", "js",
  "urlquery", "call", "eq", "ne", "lt", "le", "gt", "ge", "include", "tpl", "required",
  "toYaml", "fromYaml", "toJson", "fromJson", "lookup", "fail",
]);

// Inside `{{ … }}`: Go's text/template lexer, simplified to what colours need.
function actionToken(stream, st) {
  if (st.comment) {
    if (stream.skipTo("*/")) {
      stream.pos += 2;
      st.comment = false;
    } else {
      stream.skipToEnd();
    }
    return "comment";
  }
  if (st.raw) {
    if (stream.skipTo("`")) {
      stream.next();
      st.raw = false;
    } else {
      stream.skipToEnd();
    }
    return "string";
  }
  if (stream.eatSpace()) {
    // a trim marker is a space, '-' and the closing delimiter
    if (stream.match("-}}")) {
      st.action = false;
      return "trimMarker";
    }
    return null;
  }
  if (stream.match("}}")) {
    st.action = false;
    return "action";
  }
  if (stream.match("/*")) {
    st.comment = true;
    return actionToken(stream, st) || "comment";
  }
  if (stream.match(/^"(?:[^"\\]|\\.)*"?/)) return "string";
  if (stream.match(/^'(?:[^'\\]|\\.)*'?/)) return "string";
  if (stream.match("`")) {
    st.raw = true;
    return actionToken(stream, st) || "string";
  }
  if (stream.match(/^[-+]?(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|\d[\d_]*(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+)i?/)) {
    return "number";
  }
  if (stream.match(/^\$[\w]*/)) return "variableName";
  if (stream.match(/^(?:\.[A-Za-z_]\w*)+/) || stream.match(".")) return "propertyName";
  if (stream.match(/^[A-Za-z_]\w*/)) {
    const w = stream.current();
    if (w === "true" || w === "false") return "atom";
    if (KEYWORDS.has(w)) return "keyword";
    if (BUILTINS.has(w)) return "builtin";
    return "function";
  }
  if (stream.match(/^(?::=|=|\|)/)) return "operator";
  if (stream.match(/^[()]/)) return "paren";
  stream.next();
  return "invalid";
}

const helmTemplate = {
  name: "helm-template",
  startState() {
    return { action: false, comment: false, raw: false, yaml: yaml.startState() };
  },
  copyState(s) {
    return {
      action: s.action, comment: s.comment, raw: s.raw,
      yaml: Object.assign({}, s.yaml),
    };
  },
  token(stream, st) {
    if (st.action) return actionToken(stream, st);
    if (stream.match("{{")) {
      st.action = true;
      // `{{- ` trims the whitespace before the action
      if (stream.match(/^-(?=[ \t\r\n]|$)/)) return "trimMarker";
      return "action";
    }
    const at = stream.string.indexOf("{{", stream.pos);
    const whole = stream.string;
    if (at > stream.pos) stream.string = whole.slice(0, at);
    let style;
    try {
      style = yaml.token(stream, st.yaml);
    } finally {
      stream.string = whole;
    }
    return style;
  },
  blankLine(st) {
    if (yaml.blankLine) yaml.blankLine(st.yaml);
  },
  languageData: { commentTokens: { line: "#" } },
  tokenTable: { trimMarker: trimTag, action: actionTag, builtin: t.standard(t.function(t.variableName)), paren: t.paren, function: t.function(t.variableName) },
};

const languages = {
  helm: StreamLanguage.define(helmTemplate),
  plain: null,
};

const highlight = HighlightStyle.define([
  { tag: t.comment, color: "var(--cm-comment)", fontStyle: "italic" },
  { tag: t.string, color: "var(--cm-string)" },
  { tag: [t.number, t.atom, t.bool], color: "var(--cm-number)" },
  { tag: t.keyword, color: "var(--cm-keyword)", fontWeight: "600" },
  { tag: [t.standard(t.function(t.variableName)), t.function(t.variableName)], color: "var(--cm-function)" },
  { tag: t.variableName, color: "var(--cm-variable)" },
  { tag: t.propertyName, color: "var(--cm-property)" },
  { tag: [t.atom, t.meta, t.definition(t.variableName)], color: "var(--cm-meta)" },
  { tag: t.operator, color: "var(--cm-operator)" },
  { tag: actionTag, color: "var(--cm-action)", fontWeight: "600" },
  { tag: trimTag, color: "var(--cm-trim)", backgroundColor: "var(--cm-trim-bg)", fontWeight: "700" },
  { tag: t.invalid, color: "var(--cm-invalid)" },

]);

// The line Helm's error points at, marked across its whole width.
const setErrorLines = StateEffect.define();
const errorLines = StateField.define({
  create: () => Decoration.none,
  update(deco, tr) {
    deco = deco.map(tr.changes);
    for (const e of tr.effects) {
      if (e.is(setErrorLines)) {
        deco = Decoration.set(
          e.value.map((pos) => Decoration.line({ class: "cm-errorLine" }).range(pos)),
          true,
        );
      }
    }
    return deco;
  },
  provide: (f) => EditorView.decorations.from(f),
});

const theme = EditorView.theme({
  "&": { height: "100%", fontSize: "13.5px", backgroundColor: "var(--editor-bg)", color: "var(--fg)" },
  ".cm-scroller": { fontFamily: "var(--code-font)", lineHeight: "1.45" },
  ".cm-gutters": { backgroundColor: "var(--editor-gutter)", color: "var(--muted)", borderRight: "1px solid var(--border)" },
  ".cm-activeLine": { backgroundColor: "var(--editor-active)" },
  ".cm-activeLineGutter": { backgroundColor: "var(--editor-active)" },
  ".cm-errorLine": { backgroundColor: "var(--error-line)" },
  ".cm-highlightSpace": { backgroundImage: "radial-gradient(circle at 50% 55%, var(--ws) 11%, transparent 5%)" },
  ".cm-highlightTab": { backgroundImage: "none", borderBottom: "1px dashed var(--error-fg)" },
  ".cm-trailingSpace": { backgroundColor: "var(--trailing-ws)" },
  "&.cm-focused": { outline: "2px solid var(--accent)", outlineOffset: "-2px" },
  ".cm-cursor": { borderLeftColor: "var(--fg)" },
  "&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection": { backgroundColor: "var(--selection)" },
  ".cm-panels": { backgroundColor: "var(--panel)", color: "var(--fg)" },
  ".cm-tooltip": { backgroundColor: "var(--panel)", color: "var(--fg)", border: "1px solid var(--border)" },
});

// Documents bigger than this tell Rust about edits after a pause instead of on every keystroke.
const LARGE_DOC = 200000;

// Every live editor, for forElement (tests and tools drive an editor found in the page).
const live = new Set();

function create(parent, text, lang, readOnly, onChange) {
  const language = new Compartment();
  const editable = new Compartment();
  let timer = null;
  const handle = { view: null, language, editable, silent: false };
  const notify = (view) => {
    if (handle.silent) return;
    if (view.state.doc.length < LARGE_DOC) {
      if (timer !== null) { clearTimeout(timer); timer = null; }
      onChange(view.state.doc.toString());
    } else {
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(() => { timer = null; onChange(view.state.doc.toString()); }, 300);
    }
  };
  const langExt = languages[lang] ? [languages[lang], syntaxHighlighting(highlight)] : [];
  handle.view = new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        lineNumbers(), foldGutter(), lintGutter(), highlightActiveLineGutter(),
        highlightSpecialChars(), history(), drawSelection(), EditorState.allowMultipleSelections.of(true),
        indentOnInput(), bracketMatching(), rectangularSelection(), crosshairCursor(),
        highlightActiveLine(), highlightSelectionMatches(), highlightWhitespace(),
        highlightTrailingWhitespace(), search({ top: true }), errorLines,
        indentUnit.of("  "), EditorState.tabSize.of(2),
        language.of(langExt),
        editable.of([EditorState.readOnly.of(!!readOnly), EditorView.editable.of(!readOnly)]),
        keymap.of([
          { key: "Tab", run: softTab, shift: indentLess },
          ...searchKeymap, ...historyKeymap, ...foldKeymap, ...defaultKeymap,
        ]),
        EditorView.contentAttributes.of({ "aria-label": "chart file editor", spellcheck: "false" }),
        EditorView.updateListener.of((u) => { if (u.docChanged) notify(u.view); }),
        theme,
      ],
    }),
  });
  live.add(handle);
  return handle;
}

// Soft tabs: Tab inserts spaces to the next multiple of two (a selection is indented as a
// block); Shift-Tab outdents. Escape, then Tab, moves focus out of the editor (CodeMirror's
// rule when Tab is captured), so the page stays keyboard-navigable.
function softTab(view) {
  const { state } = view;
  if (state.selection.ranges.some((r) => !r.empty)) return indentMore(view);
  const tr = state.changeByRange((range) => {
    const line = state.doc.lineAt(range.head);
    const spaces = " ".repeat(2 - ((range.head - line.from) % 2));
    return {
      changes: { from: range.head, insert: spaces },
      range: EditorSelection.cursor(range.head + spaces.length),
    };
  });
  view.dispatch(state.update(tr, { scrollIntoView: true, userEvent: "input" }));
  return true;
}

// Replaces the whole text without telling Rust (the text came from Rust).
function setText(h, text) {
  const view = h.view;
  if (view.state.doc.toString() === text) return;
  h.silent = true;
  try {
    view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
  } finally {
    h.silent = false;
  }
}

function getText(h) {
  return h.view.state.doc.toString();
}

// Byte column (Go's) to a UTF-16 offset within the line's text.
function byteColToOffset(text, bytes) {
  let b = 0;
  for (let i = 0; i < text.length; i++) {
    if (b >= bytes) return i;
    const c = text.codePointAt(i);
    b += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    if (c >= 0x10000) i++;
  }
  return text.length;
}

// marks: [{line, col, len, message, severity}] with 1-based lines, byte columns and lengths.
function setMarks(h, marks) {
  const view = h.view;
  const doc = view.state.doc;
  const diagnostics = [];
  const lines = [];
  for (const m of marks) {
    const n = Math.min(Math.max(1, m.line | 0), doc.lines);
    const line = doc.line(n);
    let from = line.from;
    let to = line.to;
    if (m.len > 0) {
      from = line.from + byteColToOffset(line.text, m.col);
      to = Math.min(line.to, line.from + byteColToOffset(line.text, m.col + m.len));
      if (to <= from) to = Math.min(line.to, from + 1);
    }
    diagnostics.push({ from, to, severity: m.severity || "error", message: m.message, source: "helm" });
    lines.push(line.from);
  }
  view.dispatch(setDiagnostics(view.state, diagnostics));
  view.dispatch({ effects: setErrorLines.of(lines) });
  if (lines.length > 0 && !isVisible(view, lines[0])) {
    view.dispatch({ effects: EditorView.scrollIntoView(lines[0], { y: "center" }) });
  }
}

function isVisible(view, pos) {
  const { from, to } = view.viewport;
  return pos >= from && pos <= to;
}

function setLanguage(h, lang) {
  const langExt = languages[lang] ? [languages[lang], syntaxHighlighting(highlight)] : [];
  h.view.dispatch({ effects: h.language.reconfigure(langExt) });
}

function setReadOnly(h, readOnly) {
  h.view.dispatch({
    effects: h.editable.reconfigure([EditorState.readOnly.of(!!readOnly), EditorView.editable.of(!readOnly)]),
  });
}

function focus(h) {
  h.view.focus();
}

function destroy(h) {
  live.delete(h);
  h.view.destroy();
}

// The editor whose element is `el` or inside it.
function forElement(el) {
  for (const h of live) {
    if (el === h.view.dom || el.contains(h.view.dom)) return h;
  }
  return null;
}

// Replaces the whole text as a user's paste would (undoable, and Rust is told).
function paste(h, text) {
  h.view.dispatch({
    changes: { from: 0, to: h.view.state.doc.length, insert: text },
    userEvent: "input.paste",
  });
}

window.ChartLabEditor = {
  create, setText, getText, setMarks, setLanguage, setReadOnly, focus, destroy, forElement, paste,
};
