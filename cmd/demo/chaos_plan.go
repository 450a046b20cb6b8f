package main

import (
	"fmt"
	"io"
	"math/rand/v2"
	"syscall"

	"github.com/actorrent/actorrent/supervisor"
)

// chaosFault is one fault the chaos plan may draw: where, what, and its
// weight (the rule's probability is weight × rate). Weights even out the
// kinds' message volumes: a peer handles thousands of messages per
// download, a listener a handful, so a listener's faults weigh more.
type chaosFault struct {
	rule   supervisor.Rule
	weight float64
}

// chaosFaults are every fault the chaos demo can inject: panics in each
// kind's Receive and goroutines, disk EIO, connection resets.
var chaosFaults = []chaosFault{
	{supervisor.Rule{Kind: supervisor.KindSession, Action: supervisor.ActionPanic}, 2},
	{supervisor.Rule{Kind: supervisor.KindAlert, Action: supervisor.ActionPanic}, 2},
	{supervisor.Rule{Kind: supervisor.KindAlert, Site: supervisor.SiteDispatch, Action: supervisor.ActionPanic}, 2},
	{supervisor.Rule{Kind: supervisor.KindTorrent, Action: supervisor.ActionPanic}, 0.2},
	{supervisor.Rule{Kind: supervisor.KindPeer, Action: supervisor.ActionPanic}, 0.5},
	{supervisor.Rule{Kind: supervisor.KindPeer, Site: supervisor.SiteDial, Action: supervisor.ActionPanic}, 50},
	{supervisor.Rule{Kind: supervisor.KindPeer, Site: supervisor.SiteReader, Action: supervisor.ActionPanic}, 0.5},
	{supervisor.Rule{Kind: supervisor.KindPeer, Site: supervisor.SiteWriter, Action: supervisor.ActionPanic}, 0.5},
	{supervisor.Rule{Kind: supervisor.KindPeer, Action: supervisor.ActionResetConnection}, 0.5},
	{supervisor.Rule{Kind: supervisor.KindDisk, Action: supervisor.ActionPanic}, 0.2},
	{supervisor.Rule{Kind: supervisor.KindDiskWorker, Action: supervisor.ActionPanic}, 1},
	{supervisor.Rule{Kind: supervisor.KindDiskWorker, Message: "write", Action: supervisor.ActionDiskError, Errno: syscall.EIO}, 2},
	{supervisor.Rule{Kind: supervisor.KindAnnouncer, Action: supervisor.ActionPanic}, 10},
	{supervisor.Rule{Kind: supervisor.KindListener, Action: supervisor.ActionPanic}, 50},
	{supervisor.Rule{Kind: supervisor.KindListener, Site: supervisor.SiteAccept, Action: supervisor.ActionPanic}, 50},
}

// chaosPlan draws a plan from seed: each fault is in it with probability
// 4/5, its probability rate × weight × a factor between 0.5 and 1.5. The
// same seed and rate give the same plan, and the plan's own source (for
// the per-message draws) is seeded from it too.
func chaosPlan(seed uint64, rate float64) supervisor.Plan {
	rnd := rand.New(rand.NewPCG(seed, 0xc4a05))
	p := supervisor.Plan{Seed: seed}
	for _, f := range chaosFaults {
		if rnd.Float64() >= 0.8 {
			continue
		}
		r := f.rule
		r.Probability = min(rate*f.weight*(0.5+rnd.Float64()), 1)
		if r.Probability > 0 {
			p.Rules = append(p.Rules, r)
		}
	}
	return p
}

// printPlan lists a plan's rules, one a line.
func printPlan(w io.Writer, p supervisor.Plan) {
	for i, r := range p.Rules {
		where := string(r.Kind)
		if r.Site != "" {
			where += " " + string(r.Site)
		}
		if r.Message != "" {
			where += " " + r.Message
		}
		what := r.Action.String()
		if r.Errno != 0 {
			what += " " + r.Errno.Error()
		}
		fmt.Fprintf(w, "  rule %d: %s in %s, p=%.5f\n", i, what, where, r.Probability)
	}
}
