//! Decoding the PEM blocks of trust files and PKCS#7 blobs, fast.
//!
//! `pem-rfc7468` decodes base64 with `base64ct`, which is constant-time: right
//! for private keys, but about ten times slower than the `base64` crate, and
//! a distribution's bundle of 1 000 public certificates spent a third of its
//! load time there (issue 15 V5); PKCS#7 blobs are decoded for every
//! signature. Certificates, CRLs and signatures are public, so
//! [`decode_block`] first tries a fast path with the `base64` crate that
//! accepts only the canonical shape (a known label, body lines of 64
//! characters and a shorter last one, standard alphabet, canonical padding);
//! anything else goes to `pem_rfc7468::decode_vec` as before. The fast path
//! accepts a subset of what `pem-rfc7468` accepts and decodes it to the same
//! bytes (a differential test below), so what loads is unchanged.

use base64::Engine as _;

/// The labels of trust files.
pub(crate) const TRUST_LABELS: [&str; 4] = [
    "CERTIFICATE",
    "X509 CERTIFICATE",
    "TRUSTED CERTIFICATE",
    "X509 CRL",
];

/// Characters per body line of a canonical PEM block.
const LINE: usize = 64;

/// The label and DER of one PEM block (as [`super::pem_blocks`] returns
/// them), or `None` when it does not decode. Blocks labelled with one of
/// `fast` may take the fast path; others are decoded by `pem-rfc7468` only.
pub(crate) fn decode_block(block: &str, fast: &[&str]) -> Option<(String, Vec<u8>)> {
    if let Some(fast) = fast_path(block, fast) {
        return Some(fast);
    }
    pem_rfc7468::decode_vec(block.as_bytes())
        .ok()
        .map(|(label, der)| (label.to_owned(), der))
}

/// The canonical shape only; `None` means "ask `pem-rfc7468`", not "invalid".
fn fast_path(block: &str, labels: &[&str]) -> Option<(String, Vec<u8>)> {
    let mut lines = block.lines();
    let first = lines.next()?;
    let label = first.strip_prefix("-----BEGIN ")?.strip_suffix("-----")?;
    if !labels.contains(&label) {
        return None;
    }
    let body: Vec<&str> = lines.collect();
    let (end, body) = body.split_last()?;
    if end.strip_prefix("-----END ")?.strip_suffix("-----")? != label {
        return None;
    }
    let (last, full) = body.split_last()?;
    if full.iter().any(|l| l.len() != LINE) || last.is_empty() || last.len() > LINE {
        return None;
    }
    let mut text = String::with_capacity(body.len() * LINE);
    for l in body {
        text.push_str(l);
    }
    // STANDARD refuses any byte outside its alphabet (spaces, `\r`, `-`,
    // `_`, padding before the end), requires canonical padding and refuses
    // non-zero trailing bits, as base64ct does.
    let der = base64::engine::general_purpose::STANDARD
        .decode(text.as_bytes())
        .ok()?;
    (!der.is_empty()).then(|| (label.to_owned(), der))
}

/// The blocks of a PEM text, decoded, when every block in it is canonical
/// (the fast path's shape, each line ending in `\n`): `(label, DER)` in
/// file order, the same blocks [`super::pem_blocks`] finds, each decoded to
/// what [`decode_block`] returns. `None` as soon as one block is not
/// canonical; the caller then takes the general path for the whole text.
///
/// A bundle is scanned once, byte by byte only where a line must end: a
/// body line is 64 characters and a `\n`, checked at its known end,
/// instead of two line-splitting passes and a text per block (issue 15 V5).
pub(crate) fn canonical_blocks<'t>(
    text: &'t str,
    labels: &[&str],
) -> Option<Vec<(&'t str, Vec<u8>)>> {
    const BEGIN: &str = "-----BEGIN ";
    const END: &[u8] = b"-----END ";
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut body: Vec<u8> = Vec::new();
    let mut from = 0;
    while let Some(off) = text.get(from..).and_then(|t| t.find(BEGIN)) {
        let start = from + off;
        // Only a line that starts with it opens a block (as in pem_blocks).
        if start > 0 && bytes.get(start - 1) != Some(&b'\n') {
            from = start + 1;
            continue;
        }
        let first_len = text.get(start..)?.find('\n')?;
        let first = text.get(start..start + first_len)?;
        let label = first.strip_prefix(BEGIN)?.strip_suffix("-----")?;
        if !labels.contains(&label) {
            return None;
        }
        let mut at = start + first_len + 1;
        body.clear();
        loop {
            let rest = bytes.get(at..)?;
            if rest.starts_with(END) {
                break;
            }
            if rest.get(LINE) == Some(&b'\n') {
                body.extend_from_slice(rest.get(..LINE)?);
                at += LINE + 1;
                continue;
            }
            // The shorter last line, then the END line.
            let n = rest.iter().take(LINE).position(|c| *c == b'\n')?;
            if n == 0 {
                return None;
            }
            body.extend_from_slice(rest.get(..n)?);
            at += n + 1;
            if !bytes.get(at..)?.starts_with(END) {
                return None;
            }
            break;
        }
        if body.is_empty() {
            return None;
        }
        let end = bytes.get(at + END.len()..)?;
        let tail = end.strip_prefix(label.as_bytes())?.strip_prefix(b"-----")?;
        at += END.len() + label.len() + 5;
        match tail.first() {
            None => {}
            Some(b'\n') => at += 1,
            Some(_) => return None,
        }
        let der = base64::engine::general_purpose::STANDARD
            .decode(&body)
            .ok()
            .filter(|d| !d.is_empty())?;
        out.push((label, der));
        from = at;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pem(label: &str, der: &[u8]) -> String {
        pem_rfc7468::encode_string(label, pem_rfc7468::LineEnding::LF, der).unwrap()
    }

    /// Blocks the way `pem_blocks` hands them over (lines trimmed, `\n`).
    fn block(text: &str) -> String {
        super::super::pem_blocks(text).pop().unwrap()
    }

    fn reference(block: &str) -> Option<(String, Vec<u8>)> {
        pem_rfc7468::decode_vec(block.as_bytes())
            .ok()
            .map(|(l, d)| (l.to_owned(), d))
    }

    #[test]
    fn fast_path_takes_canonical_blocks_and_agrees_with_pem_rfc7468() {
        for len in [1usize, 2, 3, 47, 48, 49, 95, 96, 97, 700, 1234] {
            let der: Vec<u8> = (0..len).map(|i| (i * 7 + len) as u8).collect();
            for label in TRUST_LABELS.iter().chain(&["PKCS7", "CMS"]) {
                let b = block(&pem(label, &der));
                let fast = fast_path(&b, &[*label]);
                assert!(
                    fast.is_some(),
                    "{label} {len}: canonical must take the fast path"
                );
                assert_eq!(fast, reference(&b), "{label} {len}");
                assert_eq!(
                    decode_block(&b, &[*label]),
                    Some((label.to_string(), der.clone()))
                );
                // A label not offered for the fast path still decodes.
                assert_eq!(decode_block(&b, &[]), fast);
            }
        }
    }

    /// Every mutation is either refused by the fast path (then the answer
    /// is pem-rfc7468's) or decoded exactly as pem-rfc7468 decodes it.
    #[test]
    fn fast_path_never_accepts_what_pem_rfc7468_refuses() {
        let der: Vec<u8> = (0..200u16).map(|i| (i * 13) as u8).collect();
        let good = block(&pem("CERTIFICATE", &der));
        let lines: Vec<&str> = good.lines().collect();
        let mut cases: Vec<String> = vec![
            good.replace("-----END CERTIFICATE-----", "-----END X509 CRL-----"),
            good.replace("BEGIN CERTIFICATE", "BEGIN PRIVATE KEY")
                .replace("END CERTIFICATE", "END PRIVATE KEY"),
            good.replacen('A', "*", 1),
            good.replacen('A', "-", 1),
            good.replacen('A', "_", 1),
            good.replace('=', ""),
            good.replace("==", "=A"),
            format!(
                "{}\nProc-Type: 4,ENCRYPTED\n\n{}",
                lines[0],
                lines[1..].join("\n")
            ),
            format!("{}\n\n{}", lines[0], lines[1..].join("\n")),
            good.replacen('\n', "\n ", 2),
            lines.iter().map(|l| format!("{l}\n")).collect::<String>() + "trailing",
        ];
        // Non-canonical trailing bits in the last quantum.
        let short = block(&pem("CERTIFICATE", b"\x01"));
        cases.push(short.replace("AQ==", "AR=="));
        // Re-wrapped at 76 columns (valid base64, not the canonical shape).
        let body: String = lines[1..lines.len() - 1].concat();
        let wrapped: Vec<String> = body
            .as_bytes()
            .chunks(76)
            .map(|c| String::from_utf8(c.to_vec()).unwrap())
            .collect();
        cases.push(format!(
            "{}\n{}\n{}\n",
            lines[0],
            wrapped.join("\n"),
            lines[lines.len() - 1]
        ));
        for case in &cases {
            if let Some(fast) = fast_path(case, &TRUST_LABELS) {
                assert_eq!(Some(fast), reference(case), "{case}");
            }
            assert_eq!(decode_block(case, &TRUST_LABELS), reference(case), "{case}");
        }
        assert!(decode_block(&cases[0], &TRUST_LABELS).is_none());
        assert!(fast_path(&short.replace("AQ==", "AR=="), &TRUST_LABELS).is_none());
    }

    /// What the general path makes of a text: every block decoded.
    fn general(text: &str) -> Vec<(String, Vec<u8>)> {
        super::super::pem_blocks(text)
            .iter()
            .filter_map(|b| decode_block(b, &TRUST_LABELS))
            .collect()
    }

    /// Whole texts: where the scanner answers, it answers as the general
    /// path does (blocks, order, bytes); canonical bundles it always takes.
    #[test]
    fn canonical_blocks_agree_with_the_general_path() {
        let der =
            |n: usize, k: u8| -> Vec<u8> { (0..n).map(|i| (i as u8).wrapping_mul(k)).collect() };
        let a = pem("CERTIFICATE", &der(300, 7));
        let b = pem("X509 CRL", &der(48, 3));
        let c = pem("CERTIFICATE", &der(64 * 3 / 4, 5)); // last line a full 64
        let bundle = format!("{a}{b}# comment\n\nBundle Root 2\n{c}");
        let taken = [
            bundle.clone(),
            a.trim_end().to_string(), // END at end of text
            format!("x -----BEGIN CERTIFICATE----- y\n{a}"), // mid-line BEGIN ignored
            format!("-----END CERTIFICATE-----\n{a}"), // stray END ignored
            "no blocks at all -----BEGIN here\n".to_string(),
        ];
        for text in &taken {
            let fast = canonical_blocks(text, &TRUST_LABELS)
                .unwrap_or_else(|| panic!("canonical text refused: {text}"));
            let fast: Vec<(String, Vec<u8>)> =
                fast.into_iter().map(|(l, d)| (l.to_string(), d)).collect();
            assert_eq!(fast, general(text), "{text}");
        }
        assert_eq!(canonical_blocks(&bundle, &TRUST_LABELS).unwrap().len(), 3);
        let refused = [
            bundle.replace('\n', "\r\n"),
            bundle.replacen("-----\n", "-----  \n", 1),
            a.replacen('\n', "\n\n", 1),
            a.replace("-----END CERTIFICATE-----\n", ""),
            a.replace("-----END CERTIFICATE-----", "-----END X509 CRL-----"),
            format!("{}{a}", &a[..a.len() / 2]), // a BEGIN inside a block
            pem("PRIVATE KEY", &der(40, 9)),
            a.replacen('A', "*", 1),
            "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n".to_string(),
            "-----BEGIN CERTIFICATE-----".to_string(),
        ];
        for text in &refused {
            match canonical_blocks(text, &TRUST_LABELS) {
                None => {}
                Some(v) => {
                    let v: Vec<(String, Vec<u8>)> =
                        v.into_iter().map(|(l, d)| (l.to_string(), d)).collect();
                    assert_eq!(v, general(text), "{text}");
                }
            }
        }
        // These must go to the general path (which may still decode them).
        assert!(canonical_blocks(&refused[0], &TRUST_LABELS).is_none());
        assert!(canonical_blocks(&refused[5], &TRUST_LABELS).is_none());
        assert!(canonical_blocks(&refused[6], &TRUST_LABELS).is_none());
    }
}
