//! PKCS#7 / CMS engine tests.
