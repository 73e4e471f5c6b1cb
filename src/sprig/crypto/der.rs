//! ASN.1 DER as Go's crypto code handles it: a writer (encoding/asn1 `Marshal` output for the
//! structures x509 builds), a strict element reader (`cryptobyte`, used by x509's certificate
//! parser), and a decoder for the key structures that reproduces `encoding/asn1.Unmarshal`'s
//! results and error texts (`asn1: structure error: tags don't match (16 vs {…}) … pkcs8 @2`).

// ---------------------------------------------------------------------------------------------
// Writer

pub(crate) const TAG_BOOLEAN: u8 = 0x01;
pub(crate) const TAG_INTEGER: u8 = 0x02;
pub(crate) const TAG_BIT_STRING: u8 = 0x03;
pub(crate) const TAG_OCTET_STRING: u8 = 0x04;
pub(crate) const TAG_NULL: u8 = 0x05;
pub(crate) const TAG_OID: u8 = 0x06;
pub(crate) const TAG_UTF8_STRING: u8 = 0x0c;
pub(crate) const TAG_PRINTABLE_STRING: u8 = 0x13;
pub(crate) const TAG_UTC_TIME: u8 = 0x17;
pub(crate) const TAG_GENERALIZED_TIME: u8 = 0x18;
pub(crate) const TAG_SEQUENCE: u8 = 0x30;
pub(crate) const TAG_SET: u8 = 0x31;

/// One element: tag, DER length, content.
pub(crate) fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + 6);
    out.push(tag);
    let n = content.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let bytes = (n as u64).to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        out.push(0x80 | (8 - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
    out
}

/// A SEQUENCE of already encoded elements.
pub(crate) fn seq(parts: &[&[u8]]) -> Vec<u8> {
    tlv(TAG_SEQUENCE, &parts.concat())
}

/// An INTEGER from a big-endian unsigned magnitude (minimal, with a 0 byte before a high bit).
pub(crate) fn uint(be: &[u8]) -> Vec<u8> {
    let skip = be.iter().take_while(|&&b| b == 0).count();
    let mag = &be[skip..];
    let mut content = Vec::with_capacity(mag.len() + 1);
    if mag.is_empty() || mag[0] & 0x80 != 0 {
        content.push(0);
    }
    content.extend_from_slice(mag);
    tlv(TAG_INTEGER, &content)
}

/// An INTEGER from a machine integer.
pub(crate) fn int(v: i64) -> Vec<u8> {
    let bytes = v.to_be_bytes();
    let mut start = 0;
    while start < 7
        && ((bytes[start] == 0 && bytes[start + 1] & 0x80 == 0)
            || (bytes[start] == 0xff && bytes[start + 1] & 0x80 != 0))
    {
        start += 1;
    }
    tlv(TAG_INTEGER, &bytes[start..])
}

/// An OBJECT IDENTIFIER.
pub(crate) fn oid(arcs: &[u64]) -> Vec<u8> {
    let mut content = Vec::new();
    if arcs.len() >= 2 {
        base128(&mut content, arcs[0] * 40 + arcs[1]);
        for &a in &arcs[2..] {
            base128(&mut content, a);
        }
    }
    tlv(TAG_OID, &content)
}

fn base128(out: &mut Vec<u8>, mut v: u64) {
    let mut tmp = [0u8; 10];
    let mut i = tmp.len();
    loop {
        i -= 1;
        tmp[i] = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            break;
        }
    }
    let last = tmp.len() - 1;
    for (j, b) in tmp.iter().enumerate().skip(i) {
        out.push(if j == last { *b } else { b | 0x80 });
    }
}

pub(crate) fn octet_string(b: &[u8]) -> Vec<u8> {
    tlv(TAG_OCTET_STRING, b)
}

/// A BIT STRING of whole bytes.
pub(crate) fn bit_string(b: &[u8]) -> Vec<u8> {
    let mut content = Vec::with_capacity(b.len() + 1);
    content.push(0);
    content.extend_from_slice(b);
    tlv(TAG_BIT_STRING, &content)
}

pub(crate) fn null() -> Vec<u8> {
    vec![TAG_NULL, 0]
}

/// A context-specific tag around already encoded content (`[n] EXPLICIT`, constructed).
pub(crate) fn explicit(n: u8, inner: &[u8]) -> Vec<u8> {
    tlv(0xa0 | n, inner)
}

// ---------------------------------------------------------------------------------------------
// Strict reader (cryptobyte)

/// A DER element reader with cryptobyte's strictness (minimal lengths, no indefinite form).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Reader<'a> {
    pub data: &'a [u8],
}

/// One element as read: the content and the whole encoding.
pub(crate) struct Element<'a> {
    pub content: &'a [u8],
    pub full: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Reader<'a> {
        Reader { data }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    pub(crate) fn peek_tag(&self) -> Option<u8> {
        self.data.first().copied()
    }

    /// Reads any element (single-byte tags only, as every structure here uses).
    pub(crate) fn read_any(&mut self) -> Option<Element<'a>> {
        let d = self.data;
        if d.len() < 2 {
            return None;
        }
        let tag = d[0];
        if tag & 0x1f == 0x1f {
            return None;
        }
        let l0 = d[1];
        let (len, hdr) = if l0 & 0x80 == 0 {
            (l0 as usize, 2)
        } else {
            let n = (l0 & 0x7f) as usize;
            if n == 0 || n > 4 || d.len() < 2 + n {
                return None;
            }
            let mut len = 0usize;
            for &b in &d[2..2 + n] {
                len = (len << 8) | b as usize;
            }
            // minimal encoding: no leading zero byte, long form only from 128
            if d[2] == 0 || len < 0x80 {
                return None;
            }
            (len, 2 + n)
        };
        let end = hdr.checked_add(len)?;
        if d.len() < end {
            return None;
        }
        self.data = &d[end..];
        Some(Element {
            content: &d[hdr..end],
            full: &d[..end],
        })
    }

    /// Reads an element with the given tag.
    pub(crate) fn read(&mut self, tag: u8) -> Option<Element<'a>> {
        if self.peek_tag() != Some(tag) {
            return None;
        }
        self.read_any()
    }

    /// Reads an INTEGER's content bytes, rejecting non-minimal encodings (cryptobyte's check).
    pub(crate) fn read_integer(&mut self) -> Option<&'a [u8]> {
        let e = self.read(TAG_INTEGER)?;
        let c = e.content;
        if c.is_empty()
            || (c.len() > 1
                && ((c[0] == 0 && c[1] & 0x80 == 0) || (c[0] == 0xff && c[1] & 0x80 != 0)))
        {
            return None;
        }
        Some(c)
    }

    /// Reads an OBJECT IDENTIFIER into its arcs.
    pub(crate) fn read_oid(&mut self) -> Option<Vec<u64>> {
        let e = self.read(TAG_OID)?;
        parse_oid(e.content).ok()
    }

    /// Reads a BIT STRING: (unused bits, bytes).
    pub(crate) fn read_bit_string(&mut self) -> Option<(u8, &'a [u8])> {
        let e = self.read(TAG_BIT_STRING)?;
        let c = e.content;
        let (&pad, bytes) = c.split_first()?;
        if pad > 7
            || (bytes.is_empty() && pad != 0)
            || (pad > 0 && bytes[bytes.len() - 1] & ((1 << pad) - 1) != 0)
        {
            return None;
        }
        Some((pad, bytes))
    }
}

/// The arcs of an OID's content (`Err` is Go's message).
pub(crate) fn parse_oid(c: &[u8]) -> Result<Vec<u64>, String> {
    if c.is_empty() {
        return Err("asn1: syntax error: zero length OBJECT IDENTIFIER".into());
    }
    let mut arcs = Vec::new();
    let mut i = 0;
    let mut first = true;
    while i < c.len() {
        let mut v: u64 = 0;
        let mut shifted = 0;
        loop {
            if i >= c.len() {
                return Err("asn1: syntax error: truncated base 128 integer".into());
            }
            if shifted == 5 {
                return Err("asn1: structure error: base 128 integer too large".into());
            }
            let b = c[i];
            i += 1;
            v = (v << 7) | (b & 0x7f) as u64;
            shifted += 1;
            if shifted == 1 && b == 0x80 {
                return Err("asn1: structure error: integer is not minimally encoded".into());
            }
            if b & 0x80 == 0 {
                break;
            }
        }
        if v > i32::MAX as u64 {
            return Err("asn1: structure error: base 128 integer too large".into());
        }
        if first {
            if v < 80 {
                arcs.push(v / 40);
                arcs.push(v % 40);
            } else {
                arcs.push(2);
                arcs.push(v - 80);
            }
            first = false;
        } else {
            arcs.push(v);
        }
    }
    Ok(arcs)
}

/// Dotted form of an OID (`ObjectIdentifier.String`).
pub(crate) fn oid_string(arcs: &[u64]) -> String {
    arcs.iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

// ---------------------------------------------------------------------------------------------
// encoding/asn1.Unmarshal for the key structures

/// The Go field types the key structures use.
#[derive(Clone, Copy)]
pub(crate) enum FieldKind {
    /// `int`
    Int,
    /// `*big.Int`
    BigInt,
    /// `[]byte`
    Bytes,
    /// `asn1.ObjectIdentifier`
    Oid,
    /// `asn1.BitString`
    Bits,
    /// `asn1.RawValue` (any element)
    Raw,
    /// a nested struct
    Struct(&'static StructSpec),
    /// a slice of structs (SEQUENCE OF)
    SeqOf(&'static StructSpec),
}

pub(crate) struct FieldSpec {
    pub kind: FieldKind,
    pub optional: bool,
    /// `explicit,tag:n`
    pub explicit: Option<u8>,
}

pub(crate) struct StructSpec {
    /// The Go type name as `reflect.Type.Name` gives it.
    pub name: &'static str,
    pub fields: &'static [FieldSpec],
}

pub(crate) const fn field(kind: FieldKind) -> FieldSpec {
    FieldSpec {
        kind,
        optional: false,
        explicit: None,
    }
}

pub(crate) const fn optional(kind: FieldKind) -> FieldSpec {
    FieldSpec {
        kind,
        optional: true,
        explicit: None,
    }
}

pub(crate) const fn optional_explicit(kind: FieldKind, tag: u8) -> FieldSpec {
    FieldSpec {
        kind,
        optional: true,
        explicit: Some(tag),
    }
}

/// A decoded field value.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Val {
    /// an absent optional field
    Absent,
    Int(i64),
    /// big-endian two's complement content of an INTEGER
    Big(Vec<u8>),
    Bytes(Vec<u8>),
    Oid(Vec<u64>),
    /// (unused bits, bytes)
    Bits(u8, Vec<u8>),
    /// (tag byte, full encoding)
    Raw(u8, Vec<u8>),
    Struct(Vec<Val>),
    Seq(Vec<Val>),
}

impl Val {
    pub(crate) fn int(&self) -> i64 {
        match self {
            Val::Int(i) => *i,
            _ => 0,
        }
    }
    pub(crate) fn bytes(&self) -> &[u8] {
        match self {
            Val::Big(b) | Val::Bytes(b) | Val::Bits(_, b) | Val::Raw(_, b) => b,
            _ => &[],
        }
    }
    pub(crate) fn fields(&self) -> &[Val] {
        match self {
            Val::Struct(f) | Val::Seq(f) => f,
            _ => &[],
        }
    }
    pub(crate) fn oid(&self) -> &[u64] {
        match self {
            Val::Oid(o) => o,
            _ => &[],
        }
    }
}

/// Sign of a DER INTEGER's content: -1, 0 or 1.
pub(crate) fn big_sign(b: &[u8]) -> i32 {
    match b.first() {
        None => 0,
        Some(&x) if x & 0x80 != 0 => -1,
        _ if b.iter().all(|&x| x == 0) => 0,
        _ => 1,
    }
}

/// The magnitude of a non-negative INTEGER content (leading zeros removed).
pub(crate) fn big_magnitude(b: &[u8]) -> &[u8] {
    let skip = b.iter().take_while(|&&x| x == 0).count();
    &b[skip..]
}

const DEFAULT_PARAMS: &str = "{optional:false explicit:false application:false private:false defaultValue:<nil> tag:<nil> stringType:0 timeType:0 set:false omitEmpty:false}";

struct TagLen {
    class: u8,
    tag: u64,
    compound: bool,
    length: usize,
}

fn syntax(msg: &str) -> String {
    format!("asn1: syntax error: {msg}")
}

fn structural(msg: &str) -> String {
    format!("asn1: structure error: {msg}")
}

/// encoding/asn1 `parseTagAndLength`.
fn parse_tag_and_length(b: &[u8], mut offset: usize) -> Result<(TagLen, usize), String> {
    let Some(&first) = b.get(offset) else {
        return Err("asn1: internal error in parseTagAndLength".into());
    };
    offset += 1;
    let mut t = TagLen {
        class: first >> 6,
        tag: (first & 0x1f) as u64,
        compound: first & 0x20 != 0,
        length: 0,
    };
    if t.tag == 0x1f {
        let mut v: u64 = 0;
        let mut shifted = 0;
        loop {
            let Some(&c) = b.get(offset) else {
                return Err(syntax("truncated base 128 integer"));
            };
            if shifted == 5 {
                return Err(structural("base 128 integer too large"));
            }
            offset += 1;
            v = (v << 7) | (c & 0x7f) as u64;
            shifted += 1;
            if shifted == 1 && c == 0x80 {
                return Err(structural("integer is not minimally encoded"));
            }
            if c & 0x80 == 0 {
                break;
            }
        }
        if v > i32::MAX as u64 {
            return Err(structural("base 128 integer too large"));
        }
        t.tag = v;
        if t.tag < 0x1f {
            return Err(syntax("non-minimal tag"));
        }
    }
    let Some(&l0) = b.get(offset) else {
        return Err(syntax("truncated tag or length"));
    };
    offset += 1;
    if l0 & 0x80 == 0 {
        t.length = (l0 & 0x7f) as usize;
    } else {
        let n = (l0 & 0x7f) as usize;
        if n == 0 {
            return Err(syntax("indefinite length found (not DER)"));
        }
        let mut len = 0usize;
        for _ in 0..n {
            let Some(&c) = b.get(offset) else {
                return Err(syntax("truncated tag or length"));
            };
            offset += 1;
            if len >= 1 << 23 {
                return Err(structural("length too large"));
            }
            len = (len << 8) | c as usize;
            if len == 0 {
                return Err(structural("superfluous leading zeros in length"));
            }
        }
        if len < 0x80 {
            return Err(structural("non-minimal length"));
        }
        t.length = len;
    }
    Ok((t, offset))
}

fn check_integer(c: &[u8]) -> Result<(), String> {
    if c.is_empty() {
        return Err(structural("empty integer"));
    }
    if c.len() > 1 && ((c[0] == 0 && c[1] & 0x80 == 0) || (c[0] == 0xff && c[1] & 0x80 != 0)) {
        return Err(structural("integer not minimally-encoded"));
    }
    Ok(())
}

fn go_type_name(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Int => "int",
        FieldKind::Oid => "ObjectIdentifier",
        FieldKind::Bits => "BitString",
        FieldKind::Raw => "RawValue",
        FieldKind::Struct(s) => s.name,
        FieldKind::BigInt | FieldKind::Bytes | FieldKind::SeqOf(_) => "",
    }
}

/// `asn1.Unmarshal(b, &v)` for a struct: the value and the unread rest, or Go's error.
pub(crate) fn unmarshal<'a>(
    b: &'a [u8],
    spec: &'static StructSpec,
) -> Result<(Val, &'a [u8]), String> {
    let (v, off) = parse_field(b, 0, &field(FieldKind::Struct(spec)))?;
    Ok((v, &b[off..]))
}

/// `asn1.Unmarshal` into a single value of the given kind.
pub(crate) fn unmarshal_kind(b: &[u8], kind: FieldKind) -> Result<(Val, usize), String> {
    parse_field(b, 0, &field(kind))
}

fn parse_field(b: &[u8], init: usize, f: &FieldSpec) -> Result<(Val, usize), String> {
    let mut offset = init;
    if offset == b.len() {
        return if f.optional {
            Ok((Val::Absent, offset))
        } else {
            Err(syntax("sequence truncated"))
        };
    }
    if let FieldKind::Raw = f.kind {
        if f.explicit.is_none() {
            let (t, off) = parse_tag_and_length(b, offset)?;
            if off.checked_add(t.length).is_none_or(|e| e > b.len()) {
                return Err(syntax("data truncated"));
            }
            let end = off + t.length;
            return Ok((Val::Raw(b[init], b[init..end].to_vec()), end));
        }
    }
    let (mut t, off) = parse_tag_and_length(b, offset)?;
    offset = off;
    if let Some(tag) = f.explicit {
        if offset == b.len() {
            return Err(structural("explicit tag has no child"));
        }
        if t.class == 2 && t.tag == tag as u64 && (t.length == 0 || t.compound) {
            if t.length > 0 {
                let (t2, off2) = parse_tag_and_length(b, offset)?;
                t = t2;
                offset = off2;
            } else {
                return Err(structural("zero length explicit tag was not an asn1.Flag"));
            }
        } else if f.optional {
            return Ok((Val::Absent, init));
        } else {
            return Err(structural("explicitly tagged member didn't match"));
        }
    }
    let (expected_tag, compound) = match f.kind {
        FieldKind::Int | FieldKind::BigInt => (2, false),
        FieldKind::Bytes => (4, false),
        FieldKind::Oid => (6, false),
        FieldKind::Bits => (3, false),
        FieldKind::Struct(_) | FieldKind::SeqOf(_) => (16, true),
        FieldKind::Raw => (t.tag, t.compound),
    };
    let any = matches!(f.kind, FieldKind::Raw);
    if !any && (t.class != 0 || t.tag != expected_tag || t.compound != compound) {
        if f.optional {
            return Ok((Val::Absent, init));
        }
        return Err(structural(&format!(
            "tags don't match ({expected_tag} vs {{class:{} tag:{} length:{} isCompound:{}}}) {DEFAULT_PARAMS} {} @{offset}",
            t.class,
            t.tag,
            t.length,
            t.compound,
            go_type_name(f.kind)
        )));
    }
    if offset.checked_add(t.length).is_none_or(|e| e > b.len()) {
        return Err(syntax("data truncated"));
    }
    let inner = &b[offset..offset + t.length];
    let end = offset + t.length;
    let v = match f.kind {
        FieldKind::Int => {
            check_integer(inner)?;
            if inner.len() > 8 {
                return Err(structural("integer too large"));
            }
            let mut v: i64 = 0;
            for &c in inner {
                v = (v << 8) | c as i64;
            }
            // sign-extend
            let shift = 64 - 8 * inner.len() as u32;
            Val::Int(if shift == 64 {
                0
            } else {
                (v << shift) >> shift
            })
        }
        FieldKind::BigInt => {
            check_integer(inner)?;
            Val::Big(inner.to_vec())
        }
        FieldKind::Bytes => Val::Bytes(inner.to_vec()),
        FieldKind::Oid => Val::Oid(parse_oid(inner)?),
        FieldKind::Bits => {
            if inner.is_empty() {
                return Err(syntax("zero length BIT STRING"));
            }
            let pad = inner[0];
            if pad > 7
                || (inner.len() == 1 && pad > 0)
                || (pad > 0 && inner[inner.len() - 1] & ((1u8 << pad) - 1) != 0)
            {
                return Err(syntax("invalid padding bits in BIT STRING"));
            }
            Val::Bits(pad, inner[1..].to_vec())
        }
        FieldKind::Raw => Val::Raw(b[off], b[off..end].to_vec()),
        FieldKind::Struct(spec) => {
            let mut vals = Vec::with_capacity(spec.fields.len());
            let mut io = 0;
            for fs in spec.fields {
                let (v, o) = parse_field(inner, io, fs)?;
                vals.push(v);
                io = o;
            }
            Val::Struct(vals)
        }
        FieldKind::SeqOf(spec) => {
            let mut items = Vec::new();
            let mut io = 0;
            while io < inner.len() {
                let (v, o) = parse_field(inner, io, &field(FieldKind::Struct(spec)))?;
                items.push(v);
                io = o;
            }
            Val::Seq(items)
        }
    };
    Ok((v, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    static INNER: StructSpec = StructSpec {
        name: "pkcs1PrivateKey",
        fields: &[field(FieldKind::Int), field(FieldKind::BigInt)],
    };

    #[test]
    fn writes_minimal_integers_and_oids() {
        assert_eq!(int(0), [2, 1, 0]);
        assert_eq!(int(128), [2, 2, 0, 128]);
        assert_eq!(int(-1), [2, 1, 0xff]);
        assert_eq!(uint(&[0, 0, 0x80]), [2, 2, 0, 0x80]);
        assert_eq!(
            oid(&[1, 2, 840, 113549, 1, 1, 11]),
            [6, 9, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 1, 1, 11]
        );
        assert_eq!(tlv(4, &[0; 200])[..3], [4, 0x81, 200]);
        assert_eq!(
            parse_oid(&[0x2a, 0x86, 0x48, 0xce, 0x3d, 3, 1, 7]).expect("oid"),
            [1, 2, 840, 10045, 3, 1, 7]
        );
    }

    #[test]
    fn unmarshal_errors_read_like_go() {
        assert_eq!(
            unmarshal(&[0, 0, 0], &INNER).err().as_deref(),
            Some("asn1: structure error: tags don't match (16 vs {class:0 tag:0 length:0 isCompound:false}) {optional:false explicit:false application:false private:false defaultValue:<nil> tag:<nil> stringType:0 timeType:0 set:false omitEmpty:false} pkcs1PrivateKey @2")
        );
        assert_eq!(
            unmarshal(&[0x30, 0], &INNER).err().as_deref(),
            Some("asn1: syntax error: sequence truncated")
        );
        assert_eq!(
            unmarshal(&[0x30, 5, 2, 1], &INNER).err().as_deref(),
            Some("asn1: syntax error: data truncated")
        );
        let (v, rest) = unmarshal(&[0x30, 6, 2, 1, 1, 2, 1, 5, 9], &INNER).expect("ok");
        assert_eq!(v, Val::Struct(vec![Val::Int(1), Val::Big(vec![5])]));
        assert_eq!(rest, [9]);
    }
}
