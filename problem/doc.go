// Package problem is goalkit's one vocabulary for what is wrong with a
// definition: a Problem has the path it concerns (indicators[3].where), a
// Code callers branch on, a message, and where the definition came from a
// file, its FILE:LINE. A List collects problems while a plan compiles; its
// Err returns one *Error that lists them all, sorted by path, and works with
// errors.Is and errors.As. The root package aliases these types, so a host
// inspects a compile error without importing the engine's packages.
package problem
