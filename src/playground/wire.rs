//! A small binary wire format for the share codec: LEB128 varints, zigzag signed numbers and
//! length-prefixed bytes. The reader trusts nothing: every length is checked against what is
//! left, so a hostile input ends in an error, never a panic or a huge allocation.

/// Writes values into a growing byte buffer.
#[derive(Default)]
pub struct Writer {
    pub buf: Vec<u8>,
}

impl Writer {
    pub fn u8(&mut self, b: u8) {
        self.buf.push(b);
    }

    pub fn uvar(&mut self, mut v: u64) {
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.buf.push(byte);
                return;
            }
            self.buf.push(byte | 0x80);
        }
    }

    pub fn ivar(&mut self, v: i64) {
        self.uvar(((v << 1) ^ (v >> 63)) as u64);
    }

    pub fn usize(&mut self, v: usize) {
        self.uvar(v as u64);
    }

    pub fn bytes(&mut self, b: &[u8]) {
        self.usize(b.len());
        self.buf.extend_from_slice(b);
    }

    pub fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }
}

/// Reads what [`Writer`] wrote; every error names what was being read.
pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(data: &'a [u8]) -> Reader<'a> {
        Reader { data, pos: 0 }
    }

    pub fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    pub fn at_end(&self) -> bool {
        self.pos >= self.data.len()
    }

    pub fn u8(&mut self, what: &str) -> Result<u8, String> {
        let b = *self
            .data
            .get(self.pos)
            .ok_or_else(|| format!("the link ends inside {what}"))?;
        self.pos += 1;
        Ok(b)
    }

    pub fn uvar(&mut self, what: &str) -> Result<u64, String> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.u8(what)?;
            let bits = u64::from(b & 0x7f);
            if shift == 63 && bits > 1 {
                return Err(format!("{what}: number too large"));
            }
            v |= bits << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(format!("{what}: number too large"))
    }

    pub fn ivar(&mut self, what: &str) -> Result<i64, String> {
        let u = self.uvar(what)?;
        Ok(((u >> 1) as i64) ^ -((u & 1) as i64))
    }

    /// A count or length, at most `max`.
    pub fn usize(&mut self, what: &str, max: usize) -> Result<usize, String> {
        let v = self.uvar(what)?;
        if v > max as u64 {
            return Err(format!("{what}: {v} is more than the {max} allowed"));
        }
        Ok(v as usize)
    }

    /// A count of items each taking at least one byte: never more than what is left.
    pub fn count(&mut self, what: &str, max: usize) -> Result<usize, String> {
        let n = self.usize(what, max)?;
        if n > self.remaining() {
            return Err(format!("the link ends inside {what}"));
        }
        Ok(n)
    }

    pub fn bytes(&mut self, what: &str) -> Result<&'a [u8], String> {
        let n = self.usize(what, usize::MAX >> 1)?;
        if n > self.remaining() {
            return Err(format!("the link ends inside {what}"));
        }
        let out = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Ok(out)
    }

    pub fn str(&mut self, what: &str) -> Result<&'a str, String> {
        let b = self.bytes(what)?;
        std::str::from_utf8(b).map_err(|_| format!("{what} is not valid UTF-8"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip() {
        let mut w = Writer::default();
        for v in [0u64, 1, 127, 128, 300, u64::MAX] {
            w.uvar(v);
        }
        for v in [0i64, -1, 1, i64::MIN, i64::MAX] {
            w.ivar(v);
        }
        w.str("héllo");
        let mut r = Reader::new(&w.buf);
        for v in [0u64, 1, 127, 128, 300, u64::MAX] {
            assert_eq!(r.uvar("n"), Ok(v));
        }
        for v in [0i64, -1, 1, i64::MIN, i64::MAX] {
            assert_eq!(r.ivar("n"), Ok(v));
        }
        assert_eq!(r.str("s"), Ok("héllo"));
        assert!(r.at_end());
    }

    #[test]
    fn hostile_input_is_an_error() {
        assert!(Reader::new(&[0xff; 11]).uvar("n").is_err());
        assert!(Reader::new(&[0x80]).uvar("n").is_err());
        // length past the end
        assert!(Reader::new(&[0x05, b'a']).bytes("s").is_err());
        // a huge length never allocates
        assert!(Reader::new(&[0xff, 0xff, 0xff, 0xff, 0x0f])
            .bytes("s")
            .is_err());
        assert!(Reader::new(&[0x02, 0xff, 0xfe]).str("s").is_err());
        assert!(Reader::new(&[0x09]).count("files", 100).is_err());
        assert!(Reader::new(&[0x7f]).usize("n", 10).is_err());
    }
}
