//! Distinguished names in GnuTLS's RFC 4514 form (`gnutls_x509_dn_get_str2`):
//! RDNs in reverse DER order joined by `,`, the values of a multi-valued RDN
//! joined by `+` in their encoded order.

use const_oid::ObjectIdentifier;

use super::tlv;

/// Short names GnuTLS prints; other attribute types print as a dotted OID
/// with the value as `#` + hex of its DER encoding.
const SHORT_NAMES: &[(&str, &str)] = &[
    ("2.5.4.3", "CN"),
    ("2.5.4.10", "O"),
    ("2.5.4.11", "OU"),
    ("2.5.4.6", "C"),
    ("2.5.4.8", "ST"),
    ("2.5.4.7", "L"),
    ("0.9.2342.19200300.100.1.25", "DC"),
    ("0.9.2342.19200300.100.1.1", "UID"),
    ("1.2.840.113549.1.9.1", "EMAIL"),
    ("2.5.4.5", "serialNumber"),
];

/// Formats a DER `Name` (the whole SEQUENCE). Input that does not parse as a
/// Name gives `Err`; an empty Name gives `""`.
pub fn format_dn(name_der: &[u8]) -> Result<String, String> {
    let name = tlv::expect(name_der, tlv::SEQUENCE, "Name")?;
    let rdns = tlv::children(name.value, 256)?;
    let mut parts = Vec::with_capacity(rdns.len());
    for rdn in rdns.iter().rev() {
        if rdn.tag != tlv::SET {
            return Err("RelativeDistinguishedName is not a SET".into());
        }
        let mut atvs = Vec::new();
        for atv in tlv::children(rdn.value, 64)? {
            if atv.tag != tlv::SEQUENCE {
                return Err("AttributeTypeAndValue is not a SEQUENCE".into());
            }
            let mut c = tlv::Cursor::new(atv.value);
            let oid = c.next_tag(tlv::OID, "attribute type")?;
            let value = c.next("attribute value")?;
            let oid = ObjectIdentifier::from_bytes(oid.value)
                .map_err(|e| format!("attribute type: {e}"))?;
            atvs.push(format_atv(&oid, value));
        }
        parts.push(atvs.join("+"));
    }
    Ok(parts.join(","))
}

/// Formats a Name, or `"<invalid DN>"` when it does not parse.
pub fn display_dn(name_der: &[u8]) -> String {
    format_dn(name_der).unwrap_or_else(|_| "<invalid DN>".into())
}

fn format_atv(oid: &ObjectIdentifier, value: tlv::Tlv<'_>) -> String {
    let dotted = oid.to_string();
    let short = SHORT_NAMES
        .iter()
        .find(|(o, _)| *o == dotted)
        .map(|(_, s)| *s);
    match (short, decode_string(value)) {
        (Some(name), Some(text)) => format!("{name}={}", escape(&text)),
        (Some(name), None) => format!("{name}=#{}", crate::digest::hex(value.raw)),
        (None, _) => format!("{dotted}=#{}", crate::digest::hex(value.raw)),
    }
}

fn decode_string(value: tlv::Tlv<'_>) -> Option<String> {
    match value.tag {
        // UTF8String, PrintableString, IA5String, NumericString, VisibleString
        0x0c | 0x13 | 0x16 | 0x12 | 0x1a => std::str::from_utf8(value.value).ok().map(String::from),
        // TeletexString: treated as Latin-1
        0x14 => Some(value.value.iter().map(|b| char::from(*b)).collect()),
        // BMPString: UTF-16BE
        0x1e => {
            let units: Vec<u16> = value
                .value
                .chunks(2)
                .map(|c| match c {
                    [a, b] => u16::from_be_bytes([*a, *b]),
                    _ => 0xfffd,
                })
                .collect();
            String::from_utf16(&units).ok()
        }
        // UniversalString: UTF-32BE
        0x1c => value
            .value
            .chunks(4)
            .map(|c| match c {
                [a, b, cc, d] => char::from_u32(u32::from_be_bytes([*a, *b, *cc, *d])),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

/// RFC 4514 escaping: `,+"\<>;` anywhere, `#` or space first, space last.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let count = text.chars().count();
    for (i, ch) in text.chars().enumerate() {
        let special = matches!(ch, ',' | '+' | '"' | '\\' | '<' | '>' | ';')
            || (i == 0 && (ch == '#' || ch == ' '))
            || (i + 1 == count && ch == ' ');
        if special {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use der::Encode;
    use std::str::FromStr;
    use x509_cert::name::Name;

    fn atv(oid: &str, tag: u8, value: &[u8]) -> Vec<u8> {
        let oid = ObjectIdentifier::new_unwrap(oid).to_der().unwrap();
        let mut v = vec![tag, value.len() as u8];
        v.extend_from_slice(value);
        wrap(0x30, &[oid, v].concat())
    }

    fn wrap(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        let len = content.len();
        if len < 128 {
            out.push(len as u8);
        } else {
            out.extend([0x81, len as u8]);
        }
        out.extend_from_slice(content);
        out
    }

    #[test]
    fn lvfs_ca_order() {
        // DER order CN, O as in the real LVFS CA.
        let name = wrap(
            0x30,
            &[
                wrap(0x31, &atv("2.5.4.3", 0x13, b"LVFS CA")),
                wrap(
                    0x31,
                    &atv("2.5.4.10", 0x13, b"Linux Vendor Firmware Project"),
                ),
            ]
            .concat(),
        );
        assert_eq!(
            format_dn(&name).unwrap(),
            "O=Linux Vendor Firmware Project,CN=LVFS CA"
        );
    }

    #[test]
    fn multi_valued_rdn_escapes_and_email() {
        // Multi-valued RDN encoded OU then CN, deliberately not in DER SET order.
        let name = wrap(
            0x30,
            &[
                wrap(0x31, &atv("2.5.4.6", 0x13, b"US")),
                wrap(0x31, &atv("2.5.4.8", 0x0c, b"Some State")),
                wrap(0x31, &atv("2.5.4.10", 0x0c, b"Org, Inc.")),
                wrap(
                    0x31,
                    &[
                        atv("2.5.4.11", 0x0c, b"Unit"),
                        atv("2.5.4.3", 0x0c, b"Multi Name"),
                    ]
                    .concat(),
                ),
                wrap(0x31, &atv("1.2.840.113549.1.9.1", 0x16, b"a@b.c")),
                wrap(0x31, &atv("2.5.4.5", 0x13, b"42")),
            ]
            .concat(),
        );
        assert_eq!(
            format_dn(&name).unwrap(),
            "serialNumber=42,EMAIL=a@b.c,OU=Unit+CN=Multi Name,O=Org\\, Inc.,ST=Some State,C=US"
        );
    }

    #[test]
    fn special_characters_and_unknown_oids() {
        assert_eq!(escape("#a b "), "\\#a b\\ ");
        assert_eq!(escape(" x"), "\\ x");
        assert_eq!(escape("a+b;c<d>e\"f\\g"), "a\\+b\\;c\\<d\\>e\\\"f\\\\g");
        let name = wrap(0x30, &wrap(0x31, &atv("1.2.3.4", 0x0c, b"hi")));
        assert_eq!(format_dn(&name).unwrap(), "1.2.3.4=#0c026869");
        let empty = Name::default().to_der().unwrap();
        assert_eq!(format_dn(&empty).unwrap(), "");
        let parsed = Name::from_str("CN=Foo,O=Bar").unwrap().to_der().unwrap();
        // x509-cert's FromStr takes RFC 4514 order; we print it back the same way.
        assert_eq!(format_dn(&parsed).unwrap(), "CN=Foo,O=Bar");
        assert!(format_dn(&[0x31, 0x00]).is_err());
        assert_eq!(display_dn(&[0x30]), "<invalid DN>");
    }
}
