package tracker

// SetSettings changes the list's settings at runtime (the session's
// tracker settings applied while the torrent runs). Failure counts and
// intervals already earned stay; the next decisions use s.
func (l *List) SetSettings(s Settings) {
	s = s.effective()
	l.set = s
	l.budget.burst, l.budget.every = s.AttemptBurst, s.AttemptEvery
}
