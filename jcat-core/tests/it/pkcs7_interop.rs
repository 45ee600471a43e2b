//! Interop with certtool and jcat-tool.
