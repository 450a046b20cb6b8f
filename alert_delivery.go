package actorrent

import (
	"context"
	"sync"

	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/supervisor"
	"github.com/asynkron/protoactor-go/actor"
)

// PopAlerts returns every queued alert, oldest first (an AlertsDroppedAlert
// last if the queue overflowed since the last call).
func (s *Session) PopAlerts(ctx context.Context) ([]Alert, error) {
	r, err := s.request(ctx, &messages.PopAlerts{})
	if err != nil {
		return nil, err
	}
	in := r.(*messages.PopAlertsReply).Alerts
	out := make([]Alert, 0, len(in))
	for _, m := range in {
		if a := s.convertAlert(m); a != nil {
			out = append(out, a)
		}
	}
	return out, nil
}

// WaitForAlert blocks until an alert is queued or ctx is done. It does not
// pop the alert; call PopAlerts.
func (s *Session) WaitForAlert(ctx context.Context) error {
	for {
		// The alert actor signals only when its queue goes from empty to
		// non-empty, so ask first; a stale signal just loops once more.
		r, err := s.request(ctx, &messages.CountAlerts{})
		if err != nil {
			return err
		}
		if r.(*messages.CountAlertsReply).Queued > 0 {
			return nil
		}
		select {
		case <-s.notify:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// SetAlertDispatch calls fn for every alert in the session's alert mask, in
// order, on a goroutine of ours (never inside an actor). fn must not block
// for long: alerts wait for it. A nil fn removes the dispatcher. Alerts are
// still queued for PopAlerts as well.
func (s *Session) SetAlertDispatch(ctx context.Context, fn func(Alert)) error {
	s.mu.Lock()
	old := s.dispatch
	s.dispatch = nil
	s.mu.Unlock()
	if old != nil {
		old.stop(s.root)
	}
	if fn == nil {
		return nil
	}
	p, err := s.startPump(ctx, CategoryAll, func(a Alert) bool { fn(a); return true })
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.dispatch = p
	s.mu.Unlock()
	return nil
}

// Subscribe returns a channel that receives every alert in categories (and
// in the session's alert mask), in order, until ctx is done or the session
// closes; then the channel is closed. A subscriber that does not keep up
// loses alerts beyond alert_queue_size, never blocks the session.
func (s *Session) Subscribe(ctx context.Context, categories AlertCategory) (<-chan Alert, error) {
	ch := make(chan Alert, 256)
	done := make(chan struct{})
	p, err := s.startPump(ctx, categories, func(a Alert) bool {
		select {
		case ch <- a:
			return true
		case <-done:
			return false
		}
	})
	if err != nil {
		return nil, err
	}
	p.onStop = func() { close(done) }
	p.closeCh = func() { close(ch) }
	go func() {
		select {
		case <-ctx.Done():
			p.stop(s.root)
		case <-p.stopped:
		}
	}()
	return ch, nil
}

// alertPump is an alert subscriber: a tiny actor that queues alerts for a
// goroutine which delivers them, so a slow consumer never blocks an actor.
type alertPump struct {
	pid     *actor.PID
	mu      sync.Mutex
	queue   []messages.Alert
	limit   int
	wake    chan struct{}
	stopped chan struct{}
	once    sync.Once
	onStop  func()
	closeCh func()
}

func (s *Session) startPump(ctx context.Context, mask AlertCategory, deliver func(Alert) bool) (*alertPump, error) {
	p := &alertPump{limit: 10000, wake: make(chan struct{}, 1), stopped: make(chan struct{})}
	p.pid = s.root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		if m, ok := c.Message().(*messages.PostAlert); ok {
			p.push(m.Alert)
		}
	}))
	if _, err := s.request(ctx, &messages.SubscribeAlerts{PID: p.pid, Mask: mask}); err != nil {
		s.root.Stop(p.pid)
		return nil, err
	}
	s.mu.Lock()
	s.pumps = append(s.pumps, p)
	s.mu.Unlock()
	go p.run(s, deliver)
	return p, nil
}

func (p *alertPump) push(a messages.Alert) {
	p.mu.Lock()
	if len(p.queue) < p.limit {
		p.queue = append(p.queue, a)
	}
	p.mu.Unlock()
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

func (p *alertPump) run(s *Session, deliver func(Alert) bool) {
	defer func() {
		if p.closeCh != nil {
			p.closeCh()
		}
	}()
	for {
		select {
		case <-p.stopped:
			return
		case <-p.wake:
		}
		p.mu.Lock()
		q := p.queue
		p.queue = nil
		p.mu.Unlock()
		for _, m := range q {
			if a := s.convertAlert(m); a != nil {
				if !p.deliverOne(s, deliver, a) {
					return
				}
			}
		}
	}
}

// deliverOne hands one alert over. A panic there, in the user's function
// or injected by a fault plan, is recovered and reported (actor_failed,
// kind alert, site dispatch) and delivery goes on: an injected one comes
// before the alert is handed over, so that alert is still delivered.
func (p *alertPump) deliverOne(s *Session, deliver func(Alert) bool, a Alert) (more bool) {
	func() {
		defer recoverDispatch(s)
		s.sup.Inject(supervisor.KindAlert, supervisor.SiteDispatch, a.What())
	}()
	defer func() {
		if r := recover(); r != nil {
			s.sup.Recovered(supervisor.KindAlert, supervisor.SiteDispatch, r)
			more = true
		}
	}()
	return deliver(a)
}

// recoverDispatch reports a panic of the alert delivery. It is deferred
// itself: recover works only when the deferred function calls it.
func recoverDispatch(s *Session) {
	if r := recover(); r != nil {
		s.sup.Recovered(supervisor.KindAlert, supervisor.SiteDispatch, r)
	}
}

// stop ends the pump; safe to call more than once.
func (p *alertPump) stop(root *actor.RootContext) {
	p.once.Do(func() {
		root.Stop(p.pid)
		if p.onStop != nil {
			p.onStop()
		}
		close(p.stopped)
	})
}
