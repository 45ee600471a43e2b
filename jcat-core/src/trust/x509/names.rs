//! Names a certificate carries (subject, subjectAltName) and RFC 5280
//! 4.2.1.10 name constraints over them: directoryName, rfc822Name, dNSName
//! and iPAddress, permitted and excluded. Any other form in a constraint
//! rejects when the extension is critical and a name of that form appears.

use super::error::ChainError;
use crate::x509::cert::CertView;
use crate::x509::tlv;

/// A name to be checked, or a constraint's base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Name<'a> {
    /// RDNSequence contents (DER).
    Dn(&'a [u8]),
    /// rfc822Name.
    Email(&'a str),
    /// dNSName.
    Dns(&'a str),
    /// iPAddress: 4 or 16 octets for a name; 8 or 32 (address + mask) for a constraint.
    Ip(&'a [u8]),
    /// A form we do not evaluate (context tag number).
    Other(u8),
}

impl std::fmt::Display for Name<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Name::Dn(d) => {
                let whole = [&[tlv::SEQUENCE][..], &der_len(d.len()), d].concat();
                write!(f, "DN:{}", crate::x509::dn::display_dn(&whole))
            }
            Name::Email(e) => write!(f, "email:{e}"),
            Name::Dns(d) => write!(f, "DNS:{d}"),
            Name::Ip(ip) => write!(f, "IP:{}", crate::digest::hex(ip)),
            Name::Other(t) => write!(f, "GeneralName [{t}]"),
        }
    }
}

fn der_len(n: usize) -> Vec<u8> {
    if n < 0x80 {
        return vec![n as u8];
    }
    let bytes: Vec<u8> = n
        .to_be_bytes()
        .into_iter()
        .skip_while(|b| *b == 0)
        .collect();
    [vec![0x80 | bytes.len() as u8], bytes].concat()
}

/// One GeneralName element to a [`Name`].
fn text(v: &[u8]) -> Result<&str, String> {
    std::str::from_utf8(v).map_err(|_| "name is not ASCII".to_string())
}

fn general_name(t: tlv::Tlv<'_>) -> Result<Name<'_>, String> {
    Ok(match t.tag {
        0x81 => Name::Email(text(t.value)?),
        0x82 => Name::Dns(text(t.value)?),
        0xa4 => Name::Dn(tlv::expect(t.value, tlv::SEQUENCE, "directoryName")?.value),
        0x87 => Name::Ip(t.value),
        other => Name::Other(other & 0x1f),
    })
}

/// The names of a certificate: its subject (when not empty), emailAddress
/// attributes of the subject, and every subjectAltName entry.
pub(crate) fn names_of<'a>(cert: &CertView<'a>) -> Result<Vec<Name<'a>>, String> {
    let mut out = Vec::new();
    let subject = tlv::expect(cert.subject, tlv::SEQUENCE, "subject")?;
    if !subject.value.is_empty() {
        out.push(Name::Dn(subject.value));
        for rdn in tlv::children(subject.value, 4096)? {
            for atv in tlv::children(rdn.value, 64)? {
                let mut c = tlv::Cursor::new(atv.value);
                let oid = c.next_tag(tlv::OID, "attribute type")?;
                if oid.value == const_oid::db::rfc3280::EMAIL_ADDRESS.as_bytes() {
                    let v = c.next("attribute value")?;
                    out.push(Name::Email(
                        std::str::from_utf8(v.value).map_err(|_| "emailAddress is not ASCII")?,
                    ));
                }
            }
        }
    }
    if let Some(san) = cert.ext.san {
        let seq = tlv::expect(san, tlv::SEQUENCE, "subjectAltName")?;
        for g in tlv::children(seq.value, 4096)? {
            out.push(general_name(g)?);
        }
    }
    Ok(out)
}

/// The subtrees of one nameConstraints extension.
#[derive(Debug, Default)]
pub(crate) struct Constraints<'a> {
    permitted: Vec<Name<'a>>,
    excluded: Vec<Name<'a>>,
    critical: bool,
}

impl Constraints<'_> {
    /// Number of subtrees (the cost of checking one name).
    pub(crate) fn len(&self) -> usize {
        self.permitted.len() + self.excluded.len()
    }
}

/// Parses a nameConstraints value. Malformed subtrees (an empty
/// sequence, a wildcard or leading-period DNS base, an IP without a valid
/// mask, an email with two `@`) are refused.
pub(crate) fn constraints<'a>(value: &'a [u8], critical: bool) -> Result<Constraints<'a>, String> {
    let seq = tlv::expect(value, tlv::SEQUENCE, "nameConstraints")?;
    let mut out = Constraints {
        critical,
        ..Default::default()
    };
    let mut any = false;
    for part in tlv::children(seq.value, 2)? {
        let list = match part.tag {
            0xa0 => &mut out.permitted,
            0xa1 => &mut out.excluded,
            other => return Err(format!("unexpected tag 0x{other:02x} in nameConstraints")),
        };
        let subtrees = tlv::children(part.value, 1 << 16)?;
        if subtrees.is_empty() {
            return Err("an empty list of subtrees".into());
        }
        any = true;
        for st in subtrees {
            if st.tag != tlv::SEQUENCE {
                return Err("a GeneralSubtree is not a SEQUENCE".into());
            }
            let mut c = tlv::Cursor::new(st.value);
            let base = general_name(c.next("base")?)?;
            if !c.is_empty() {
                return Err("minimum/maximum in a GeneralSubtree".into());
            }
            valid_base(&base)?;
            list.push(base);
        }
    }
    if !any {
        return Err("neither permitted nor excluded subtrees".into());
    }
    Ok(out)
}

fn valid_base(base: &Name<'_>) -> Result<(), String> {
    match base {
        Name::Dns(d) if d.starts_with('.') || d.contains('*') || !valid_dns(d, false) => {
            Err(format!("malformed dNSName constraint {d:?}"))
        }
        Name::Ip(ip) if !valid_mask(ip) => Err("malformed iPAddress constraint".into()),
        Name::Email(e) if e.matches('@').count() > 1 || e.is_empty() => {
            Err(format!("malformed rfc822Name constraint {e:?}"))
        }
        _ => Ok(()),
    }
}

fn valid_mask(ip: &[u8]) -> bool {
    if ip.len() != 8 && ip.len() != 32 {
        return false;
    }
    let (addr, mask) = ip.split_at(ip.len() / 2);
    // The mask is contiguous ones then zeros; the address has no bits outside it.
    let bits: Vec<bool> = mask
        .iter()
        .flat_map(|b| (0..8).rev().map(move |i| b & (1 << i) != 0))
        .collect();
    let ones = bits.iter().take_while(|b| **b).count();
    bits.iter().skip(ones).all(|b| !b) && addr.iter().zip(mask).all(|(a, m)| a & !m == 0)
}

/// A hostname (LDH labels; `*.` first label allowed when `wildcard`).
pub(crate) fn valid_dns(d: &str, wildcard: bool) -> bool {
    let d = match (wildcard, d.strip_prefix("*.")) {
        (true, Some(rest)) => rest,
        _ => d,
    };
    !d.is_empty()
        && d.len() <= 253
        && d.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

/// Whether `name` is within the subtree `base` (same form), or `None` when
/// the forms differ.
fn within(name: &Name<'_>, base: &Name<'_>) -> Option<bool> {
    Some(match (name, base) {
        (Name::Dn(n), Name::Dn(b)) => dn_within(n, b),
        (Name::Dns(n), Name::Dns(b)) => dns_within(n, b),
        (Name::Email(n), Name::Email(b)) => email_within(n, b),
        (Name::Ip(n), Name::Ip(b)) => {
            let (addr, mask) = b.split_at(b.len() / 2);
            n.len() == addr.len() && n.iter().zip(addr).zip(mask).all(|((x, a), m)| x & m == *a)
        }
        (Name::Other(n), Name::Other(b)) if n == b => return None,
        _ => return None,
    })
}

fn dn_within(name: &[u8], base: &[u8]) -> bool {
    let (Ok(n), Ok(b)) = (tlv::children(name, 4096), tlv::children(base, 4096)) else {
        return false;
    };
    b.len() <= n.len() && b.iter().zip(&n).all(|(x, y)| x.raw == y.raw)
}

fn dns_within(name: &str, base: &str) -> bool {
    let (n, b) = (name.to_ascii_lowercase(), base.to_ascii_lowercase());
    n == b || n.ends_with(&format!(".{b}"))
}

fn email_within(name: &str, base: &str) -> bool {
    let Some((_, host)) = name.rsplit_once('@') else {
        return false;
    };
    if base.contains('@') {
        // A mailbox: exact (the local part is case-sensitive).
        let (bl, bh) = base.rsplit_once('@').unwrap_or((base, ""));
        let (nl, nh) = name.rsplit_once('@').unwrap_or((name, ""));
        bl == nl && bh.eq_ignore_ascii_case(nh)
    } else if let Some(domain) = base.strip_prefix('.') {
        host.to_ascii_lowercase()
            .ends_with(&format!(".{}", domain.to_ascii_lowercase()))
    } else {
        host.eq_ignore_ascii_case(base)
    }
}

/// Whether a wildcard DNS name `*.rest` could name something inside `base`.
fn wildcard_may_enter(rest: &str, base: &str) -> bool {
    let (r, b) = (rest.to_ascii_lowercase(), base.to_ascii_lowercase());
    dns_within(&b, &r) && b != r
}

/// Checks `name` (of `subject`) against constraints `c` of `ca`. Names must
/// themselves be well formed where a constraint of their form applies.
pub(crate) fn check(
    c: &Constraints<'_>,
    name: &Name<'_>,
    subject: &str,
    ca: &str,
) -> Result<(), ChainError> {
    let violation = || ChainError::NameConstraintViolation {
        subject: subject.to_string(),
        name: name.to_string(),
        constrained_by: ca.to_string(),
    };
    let same_form = |b: &&Name<'_>| std::mem::discriminant(*b) == std::mem::discriminant(name);
    let applies =
        c.permitted.iter().any(|b| same_form(&b)) || c.excluded.iter().any(|b| same_form(&b));
    if !applies {
        return Ok(());
    }
    match name {
        Name::Other(tag) if c.critical => {
            return Err(ChainError::NameConstraintUnsupported {
                subject: ca.to_string(),
                form: format!("GeneralName [{tag}]"),
            })
        }
        Name::Other(_) => return Ok(()),
        Name::Dns(d) if !valid_dns(d, true) => return Err(violation()),
        Name::Ip(ip) if ip.len() != 4 && ip.len() != 16 => return Err(violation()),
        Name::Email(e) if e.matches('@').count() != 1 => return Err(violation()),
        _ => {}
    }
    let wildcard = match name {
        Name::Dns(d) => d.strip_prefix("*."),
        _ => None,
    };
    for b in c.excluded.iter().filter(|b| same_form(b)) {
        let hit = within(name, b).unwrap_or(false)
            || match (wildcard, b) {
                (Some(rest), Name::Dns(base)) => wildcard_may_enter(rest, base),
                _ => false,
            };
        if hit {
            return Err(violation());
        }
    }
    let permitted: Vec<&Name<'_>> = c.permitted.iter().filter(|b| same_form(b)).collect();
    if !permitted.is_empty() && !permitted.iter().any(|b| within(name, b).unwrap_or(false)) {
        return Err(violation());
    }
    Ok(())
}
