//! What the interactive console needs that does not depend on the terminal:
//! completion and the rule for multi-line input. The console itself is `flowq repl`.

pub mod complete;
