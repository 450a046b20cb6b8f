// Package actors holds the plumbing shared by every actor package: the actor
// system constructor (with protoactor's logging routed to zap), a
// context-aware request helper for the facade, repeating timers, the
// write-credit gate used for disk backpressure, and receive middleware that
// records messages for tests.
package actors
