//! OpenPGP engine tests.
