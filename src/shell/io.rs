//! What commands read and write: bytes in (a pipe, a file, a here-document), ordered stdout
//! and stderr chunks out (so a terminal shows them interleaved as a real one would).

/// Which stream a chunk was written to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// Bytes written to one stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chunk {
    pub stream: Stream,
    pub data: Vec<u8>,
}

/// Everything a command (or a whole input line) wrote, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    pub chunks: Vec<Chunk>,
    /// `clear` ran: the terminal should clear its screen before showing the chunks that follow
    /// [`Output::clear_at`].
    pub clear: bool,
    /// The number of chunks written before the last `clear`.
    pub clear_at: usize,
    /// Bytes written so far (bounded by [`Output::LIMIT`]).
    size: usize,
    /// The limit was hit and later writes were dropped.
    pub truncated: bool,
}

impl Output {
    /// Most bytes one input line may write (32 MiB).
    pub const LIMIT: usize = 32 << 20;

    fn push(&mut self, stream: Stream, data: &[u8]) {
        if data.is_empty() {
            return;
        }
        if self.size + data.len() > Self::LIMIT {
            self.truncated = true;
            return;
        }
        self.size += data.len();
        if let Some(last) = self.chunks.last_mut() {
            if last.stream == stream {
                last.data.extend_from_slice(data);
                return;
            }
        }
        self.chunks.push(Chunk {
            stream,
            data: data.to_vec(),
        });
    }

    /// Writes to stdout.
    pub fn out(&mut self, data: impl AsRef<[u8]>) {
        self.push(Stream::Stdout, data.as_ref());
    }

    /// Writes to stderr.
    pub fn err(&mut self, data: impl AsRef<[u8]>) {
        self.push(Stream::Stderr, data.as_ref());
    }

    /// Writes to a stream.
    pub fn write(&mut self, stream: Stream, data: impl AsRef<[u8]>) {
        self.push(stream, data.as_ref());
    }

    /// Appends another output's chunks.
    pub fn extend(&mut self, other: Output) {
        if other.clear {
            self.clear = true;
            self.clear_at = self.chunks.len() + other.clear_at;
        }
        for c in other.chunks {
            self.push(c.stream, &c.data);
        }
        self.truncated |= other.truncated;
    }

    /// All stdout bytes, concatenated.
    pub fn stdout(&self) -> Vec<u8> {
        self.stream_bytes(Stream::Stdout)
    }

    /// All stderr bytes, concatenated.
    pub fn stderr(&self) -> Vec<u8> {
        self.stream_bytes(Stream::Stderr)
    }

    fn stream_bytes(&self, s: Stream) -> Vec<u8> {
        let mut v = Vec::new();
        for c in &self.chunks {
            if c.stream == s {
                v.extend_from_slice(&c.data);
            }
        }
        v
    }

    /// Stdout as text (invalid UTF-8 replaced).
    pub fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout()).into_owned()
    }

    /// Stderr as text.
    pub fn stderr_text(&self) -> String {
        String::from_utf8_lossy(&self.stderr()).into_owned()
    }

    /// Both streams as text, in the order written (what a terminal shows).
    pub fn text(&self) -> String {
        let mut v = Vec::new();
        for c in &self.chunks {
            v.extend_from_slice(&c.data);
        }
        String::from_utf8_lossy(&v).into_owned()
    }
}

/// What a command gets: its standard input, and where it writes.
pub struct Ctx<'a> {
    pub stdin: &'a [u8],
    pub out: &'a mut Output,
}

impl Ctx<'_> {
    pub fn out(&mut self, data: impl AsRef<[u8]>) {
        self.out.out(data);
    }
    pub fn err(&mut self, data: impl AsRef<[u8]>) {
        self.out.err(data);
    }
    /// Writes `prefix: msg\n` to stderr and returns `code` (the usual coreutils failure).
    pub fn fail(&mut self, msg: impl AsRef<str>, code: i32) -> i32 {
        let m = msg.as_ref();
        self.out.err(if m.ends_with('\n') {
            m.to_string()
        } else {
            format!("{m}\n")
        });
        code
    }
}
