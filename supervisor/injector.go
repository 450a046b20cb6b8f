package supervisor

import (
	"math/rand/v2"
	"sync"
)

// injector decides, message by message, which rule of a plan fires. It is
// shared by every actor of a session, so it locks; it is only there when
// the session was given a plan.
type injector struct {
	mu    sync.Mutex
	rules []ruleState
	rnd   *rand.Rand
}

type ruleState struct {
	Rule
	seen, fired int
}

func newInjector(p Plan) *injector {
	in := &injector{rnd: rand.New(rand.NewPCG(p.Seed, p.Seed^0x9e3779b97f4a7c15))}
	for _, r := range p.Rules {
		in.rules = append(in.rules, ruleState{Rule: r.normalized()})
	}
	return in
}

// decide counts the message against the rules that match it, in order,
// and returns the first one that fires (with its index).
func (in *injector) decide(kind Kind, site Site, name string) (Rule, int, bool) {
	in.mu.Lock()
	defer in.mu.Unlock()
	for i := range in.rules {
		r := &in.rules[i]
		if r.Kind != kind || r.Site != site || (r.Message != "" && r.Message != name) {
			continue
		}
		if r.Limit > 0 && r.fired >= r.Limit {
			continue
		}
		r.seen++
		if !r.fires(in.rnd) {
			continue
		}
		r.fired++
		return r.Rule, i, true
	}
	return Rule{}, -1, false
}

func (r *ruleState) fires(rnd *rand.Rand) bool {
	switch {
	case r.Nth > 0:
		return r.seen == r.Nth
	case r.Every > 0:
		return r.seen%r.Every == 0
	case r.Probability > 0:
		return rnd.Float64() < r.Probability
	}
	return true
}

// wants reports whether any rule could fire for kind at site; the sites
// that must do work to name what they handle ask first.
func (in *injector) wants(kind Kind, site Site) bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	for _, r := range in.rules {
		if r.Kind == kind && r.Site == site && (r.Limit == 0 || r.fired < r.Limit) {
			return true
		}
	}
	return false
}
