//! RFC 9162 (RFC 6962) Merkle tree hashing and proof verification:
//! leaf = SHA-256(0x00 ‖ entry), node = SHA-256(0x01 ‖ left ‖ right);
//! inclusion (§2.1.3.2) and consistency (§2.1.4.2) exactly as specified,
//! with the proof length checked up front so a wrong length is reported as
//! such rather than as a root mismatch.
//!
//! Hash lengths: the leaf hash must be 32 bytes; proof elements and roots
//! are taken as given (a wrong length can only give a root mismatch), as the
//! transparency-dev reference does. Checkpoint roots and proof lines are
//! length-checked where they are parsed ([`super::checkpoint`],
//! [`super::blobs`]).

use sha2::{Digest, Sha256};

/// A SHA-256 tree hash.
pub type Hash = [u8; 32];

/// Why a Merkle proof does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProofError {
    /// The leaf index is not inside the tree.
    #[error("leaf index {index} is not below the tree size {size}")]
    IndexOutOfRange {
        /// The leaf index.
        index: u64,
        /// The tree size.
        size: u64,
    },
    /// The proof has the wrong number of hashes for the sizes / index.
    #[error("proof has {got} hashes, {want} expected")]
    WrongLength {
        /// Hashes in the proof.
        got: usize,
        /// Hashes the index and sizes call for.
        want: usize,
    },
    /// The leaf hash is not 32 bytes.
    #[error("leaf hash of {0} bytes, 32 expected")]
    LeafHashLength(usize),
    /// Consistency: the second tree is smaller than the first.
    #[error("tree size {size2} is smaller than {size1}")]
    Shrinking {
        /// First size.
        size1: u64,
        /// Second size.
        size2: u64,
    },
    /// Consistency from the empty tree proves nothing (RFC 9162 asks size1 > 0).
    #[error("consistency from an empty tree proves nothing")]
    EmptyFirstTree,
    /// The recomputed root differs from the expected one.
    #[error("recomputed root hash does not match")]
    RootMismatch,
}

/// SHA-256(0x00 ‖ entry).
pub fn leaf_hash(entry: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(entry);
    h.finalize().into()
}

/// SHA-256(0x01 ‖ left ‖ right).
pub fn node_hash(left: &[u8], right: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The number of hashes in the inclusion proof of `index` in a tree of
/// `size` leaves (`index < size`).
pub fn inclusion_proof_len(index: u64, size: u64) -> usize {
    // Inner part: bits below the highest bit in which index and size-1 differ;
    // border part: set bits of index above it.
    let last = size.saturating_sub(1);
    let inner = (u64::BITS - (index ^ last).leading_zeros()) as usize;
    let border = (index >> inner).count_ones() as usize;
    inner + border
}

/// Verifies that `leaf_hash` is the leaf at `index` of the tree of `size`
/// leaves whose root is `root` (RFC 9162 §2.1.3.2).
pub fn verify_inclusion<P: AsRef<[u8]>>(
    leaf_hash: &[u8],
    index: u64,
    size: u64,
    proof: &[P],
    root: &[u8],
) -> Result<(), ProofError> {
    if index >= size {
        return Err(ProofError::IndexOutOfRange { index, size });
    }
    if leaf_hash.len() != 32 {
        return Err(ProofError::LeafHashLength(leaf_hash.len()));
    }
    let want = inclusion_proof_len(index, size);
    if proof.len() != want {
        return Err(ProofError::WrongLength {
            got: proof.len(),
            want,
        });
    }
    let (mut fn_, mut sn) = (index, size - 1);
    let mut r: Vec<u8> = leaf_hash.to_vec();
    for p in proof {
        if sn == 0 {
            return Err(ProofError::RootMismatch);
        }
        if fn_ & 1 == 1 || fn_ == sn {
            r = node_hash(p.as_ref(), &r).to_vec();
            if fn_ & 1 == 0 {
                while fn_ & 1 == 0 && fn_ != 0 {
                    fn_ >>= 1;
                    sn >>= 1;
                }
            }
        } else {
            r = node_hash(&r, p.as_ref()).to_vec();
        }
        fn_ >>= 1;
        sn >>= 1;
    }
    if sn == 0 && r == root {
        Ok(())
    } else {
        Err(ProofError::RootMismatch)
    }
}

/// The number of hashes in the consistency proof from `size1` to `size2`
/// (`0 < size1 < size2`).
pub fn consistency_proof_len(size1: u64, size2: u64) -> usize {
    // The inclusion proof of leaf size1-1 in the tree of size2, less the
    // levels below the lowest set bit of size1, plus the subtree root itself
    // unless size1 is a power of two.
    if size1 == 0 || size2 <= size1 {
        return 0;
    }
    let level = size1.trailing_zeros();
    let index = (size1 - 1) >> level;
    let last = (size2 - 1) >> level;
    let inner = (u64::BITS - (index ^ last).leading_zeros()) as usize;
    let border = (index >> inner).count_ones() as usize;
    let seed = usize::from(index != 0);
    seed + inner + border
}

/// Verifies that the tree of `size1` leaves with root `root1` is a prefix of
/// the tree of `size2` leaves with root `root2` (RFC 9162 §2.1.4.2).
pub fn verify_consistency<P: AsRef<[u8]>>(
    size1: u64,
    size2: u64,
    proof: &[P],
    root1: &[u8],
    root2: &[u8],
) -> Result<(), ProofError> {
    if size2 < size1 {
        return Err(ProofError::Shrinking { size1, size2 });
    }
    if size1 == 0 {
        return Err(ProofError::EmptyFirstTree);
    }
    if size1 == size2 {
        if !proof.is_empty() {
            return Err(ProofError::WrongLength {
                got: proof.len(),
                want: 0,
            });
        }
        return if root1 == root2 {
            Ok(())
        } else {
            Err(ProofError::RootMismatch)
        };
    }
    let want = consistency_proof_len(size1, size2);
    if proof.len() != want {
        return Err(ProofError::WrongLength {
            got: proof.len(),
            want,
        });
    }
    // Step 2: a power-of-two size1 is its own subtree root.
    let mut path: Vec<&[u8]> = Vec::with_capacity(proof.len() + 1);
    if size1.is_power_of_two() {
        path.push(root1);
    }
    path.extend(proof.iter().map(|p| p.as_ref()));
    let Some((first, rest)) = path.split_first() else {
        return Err(ProofError::RootMismatch);
    };
    let (mut fn_, mut sn) = (size1 - 1, size2 - 1);
    while fn_ & 1 == 1 {
        fn_ >>= 1;
        sn >>= 1;
    }
    let mut fr: Vec<u8> = first.to_vec();
    let mut sr: Vec<u8> = first.to_vec();
    for c in rest {
        if sn == 0 {
            return Err(ProofError::RootMismatch);
        }
        if fn_ & 1 == 1 || fn_ == sn {
            fr = node_hash(c, &fr).to_vec();
            sr = node_hash(c, &sr).to_vec();
            if fn_ & 1 == 0 {
                while fn_ & 1 == 0 && fn_ != 0 {
                    fn_ >>= 1;
                    sn >>= 1;
                }
            }
        } else {
            sr = node_hash(&sr, c).to_vec();
        }
        fn_ >>= 1;
        sn >>= 1;
    }
    if sn == 0 && fr == root1 && sr == root2 {
        Ok(())
    } else {
        Err(ProofError::RootMismatch)
    }
}

/// The root of a tree over `entries` (for tests and the test-log builder).
pub fn root_of(leaves: &[Hash]) -> Hash {
    match leaves {
        [] => Sha256::digest([]).into(),
        [one] => *one,
        _ => {
            let k = split(leaves.len());
            let (l, r) = leaves.split_at(k);
            node_hash(&root_of(l), &root_of(r))
        }
    }
}

/// The largest power of two below `n` (n ≥ 2): RFC 9162's split point.
fn split(n: usize) -> usize {
    let mut k = 1;
    while k * 2 < n {
        k *= 2;
    }
    k
}

/// The inclusion proof of leaf `index` (RFC 9162 §2.1.3.1; for tests and the
/// test-log builder). Empty when `index` is out of range.
pub fn inclusion_proof(leaves: &[Hash], index: usize) -> Vec<Hash> {
    if leaves.len() <= 1 || index >= leaves.len() {
        return Vec::new();
    }
    let k = split(leaves.len());
    let (l, r) = leaves.split_at(k);
    if index < k {
        let mut p = inclusion_proof(l, index);
        p.push(root_of(r));
        p
    } else {
        let mut p = inclusion_proof(r, index - k);
        p.push(root_of(l));
        p
    }
}

/// The consistency proof from the first `m` leaves to all of them
/// (RFC 9162 §2.1.4.1; for tests and the test-log builder).
pub fn consistency_proof(leaves: &[Hash], m: usize) -> Vec<Hash> {
    fn subproof(leaves: &[Hash], m: usize, complete: bool) -> Vec<Hash> {
        let n = leaves.len();
        if m == n {
            return if complete {
                Vec::new()
            } else {
                vec![root_of(leaves)]
            };
        }
        let k = split(n);
        let (l, r) = leaves.split_at(k);
        if m <= k {
            let mut p = subproof(l, m, complete);
            p.push(root_of(r));
            p
        } else {
            let mut p = subproof(r, m - k, false);
            p.push(root_of(l));
            p
        }
    }
    if m == 0 || m >= leaves.len() {
        return Vec::new();
    }
    subproof(leaves, m, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaves(n: usize) -> Vec<Hash> {
        (0..n)
            .map(|i| leaf_hash(format!("entry {i}").as_bytes()))
            .collect()
    }

    #[test]
    fn every_inclusion_proof_of_small_trees_verifies_and_no_other_index_does() {
        for n in 1..=20usize {
            let l = leaves(n);
            let root = root_of(&l);
            for i in 0..n {
                let p = inclusion_proof(&l, i);
                assert_eq!(p.len(), inclusion_proof_len(i as u64, n as u64), "{i}/{n}");
                verify_inclusion(&l[i], i as u64, n as u64, &p, &root).unwrap();
                for j in (0..n).filter(|j| *j != i) {
                    assert!(verify_inclusion(&l[i], j as u64, n as u64, &p, &root).is_err());
                }
                // (Another size can give the same root — n = 3, i = 0 read
                // as size 4 — which is why the checkpoint signs the size.)
                let other = leaf_hash(b"another entry");
                assert!(verify_inclusion(&other, i as u64, n as u64, &p, &root).is_err());
            }
            assert!(matches!(
                verify_inclusion(&l[0], n as u64, n as u64, &[] as &[Hash], &root),
                Err(ProofError::IndexOutOfRange { .. })
            ));
        }
    }

    #[test]
    fn every_consistency_proof_of_small_trees_verifies() {
        for n in 1..=20usize {
            let l = leaves(n);
            let root2 = root_of(&l);
            for m in 1..n {
                let root1 = root_of(&l[..m]);
                let p = consistency_proof(&l, m);
                assert_eq!(
                    p.len(),
                    consistency_proof_len(m as u64, n as u64),
                    "{m}->{n}"
                );
                verify_consistency(m as u64, n as u64, &p, &root1, &root2).unwrap();
                let other = root_of(&l[1..=m]);
                assert!(verify_consistency(m as u64, n as u64, &p, &other, &root2).is_err());
            }
        }
    }

    #[test]
    fn huge_sizes_do_not_overflow() {
        let l = leaf_hash(b"x");
        let r = verify_inclusion(&l, u64::MAX - 1, u64::MAX, &[l; 64], &l);
        assert!(matches!(
            r,
            Err(ProofError::RootMismatch) | Err(ProofError::WrongLength { .. })
        ));
        let r = verify_consistency(u64::MAX - 1, u64::MAX, &[l; 3], &l, &l);
        assert!(r.is_err());
    }
}
