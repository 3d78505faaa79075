//! Encodings and digests of text: URL encoding, base64, md5, sha1, sha256.

use base64::Engine as _;

use super::{on_text, owned};
use crate::store::Value;

/// Percent-encoding of everything but the unreserved characters of RFC 3986.
pub(super) fn urlencode(a: &[Value]) -> Value<'static> {
    on_text(a, |t| {
        let mut out = String::with_capacity(t.len());
        for b in t.bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
                out.push(b as char);
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
        owned(out)
    })
}

/// `%XX` and `+` decoded; null when the result is not UTF-8.
pub(super) fn urldecode(a: &[Value]) -> Value<'static> {
    on_text(a, |t| {
        let b = t.as_bytes();
        let mut out = Vec::with_capacity(b.len());
        let mut i = 0;
        while i < b.len() {
            let hex = || std::str::from_utf8(b.get(i + 1..i + 3)?).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
            match (b[i], hex()) {
                (b'%', Some(x)) => {
                    out.push(x);
                    i += 3;
                }
                (b'+', _) => {
                    out.push(b' ');
                    i += 1;
                }
                (c, _) => {
                    out.push(c);
                    i += 1;
                }
            }
        }
        String::from_utf8(out).map_or(Value::Null, owned)
    })
}

pub(super) fn encode64(a: &[Value]) -> Value<'static> {
    on_text(a, |t| owned(base64::engine::general_purpose::STANDARD.encode(t.as_bytes())))
}

pub(super) fn decode64(a: &[Value]) -> Value<'static> {
    on_text(a, |t| {
        base64::engine::general_purpose::STANDARD
            .decode(t.trim().as_bytes())
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .map_or(Value::Null, owned)
    })
}

pub(super) fn hex(bytes: &[u8]) -> Value<'static> {
    owned(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

pub(super) fn md5(a: &[Value]) -> Value<'static> {
    use md5::Digest as _;
    on_text(a, |t| hex(&md5::Md5::digest(t.as_bytes())))
}

pub(super) fn sha1(a: &[Value]) -> Value<'static> {
    use sha1::Digest as _;
    on_text(a, |t| hex(&sha1::Sha1::digest(t.as_bytes())))
}

pub(super) fn sha256(a: &[Value]) -> Value<'static> {
    use sha2::Digest as _;
    on_text(a, |t| hex(&sha2::Sha256::digest(t.as_bytes())))
}
