// Package testenv holds what goalkit's tests, in every module of the
// repository, need from the machine they run on: the outside programs a
// test drives (chromium, poppler-utils, nats-server) and the directory
// where a test keeps what people look at (screenshots, rendered pages).
// Flawed shows that a conformance suite fails on implementations that each
// break one of its rules.
//
// Two variables of the environment steer it. GOALKIT_CI=1, set by CI,
// turns a missing program from a skipped test into a failed one, so that
// CI never passes by skipping. GOALKIT_ARTIFACTS names a directory that
// keeps the artifacts after the run.
package testenv
