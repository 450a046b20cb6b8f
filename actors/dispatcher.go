package actors

import (
	"sync"
)

// WorkerPool is a protoactor Dispatcher that runs mailboxes on goroutines
// it keeps, where protoactor's default starts a goroutine for every
// activation of a mailbox. An actor that wakes for one message (a
// torrent asked for its status, an idle torrent's rare event) then costs
// no goroutine start and no stack growth: a new goroutine has a 2 KiB
// stack, which protoactor's own frames nearly fill, so each such
// activation copied its stack once it reached our handler (measured on
// GetTorrentStatus of 10k torrents: goroutine starts and stack copies
// were 28% of the CPU).
//
// Up to max workers are started as work comes and kept; past them, work
// waits in a queue of queueLen for the next free worker, and when that is
// full it runs on a goroutine of its own, as with the default. Only actors
// whose handlers never block belong on it (the design's rule for every
// actor). Close lets the workers go once the queue is empty; work
// scheduled afterwards runs on goroutines of its own.
type WorkerPool struct {
	mu         sync.RWMutex
	closed     bool
	workers    int
	max        int
	queue      chan func()
	done       chan struct{}
	throughput int
}

// NewWorkerPool keeps at most max workers and queueLen waiting mailboxes;
// throughput is the messages a mailbox processes before it lets its
// worker go (protoactor's dispatcher throughput).
func NewWorkerPool(max, queueLen, throughput int) *WorkerPool {
	return &WorkerPool{max: max, queue: make(chan func(), queueLen), done: make(chan struct{}), throughput: throughput}
}

// Schedule runs fn on a worker, new or queued for, or on a goroutine of
// its own.
func (p *WorkerPool) Schedule(fn func()) {
	p.mu.RLock()
	closed, full := p.closed, p.workers >= p.max
	if !closed && full {
		select {
		case p.queue <- fn:
			p.mu.RUnlock()
			return
		default:
		}
	}
	p.mu.RUnlock()
	if closed || full {
		go fn()
		return
	}
	p.mu.Lock()
	if p.closed || p.workers >= p.max {
		p.mu.Unlock()
		go fn()
		return
	}
	p.workers++
	p.mu.Unlock()
	go p.work(fn)
}

// Throughput implements actor.Dispatcher.
func (p *WorkerPool) Throughput() int { return p.throughput }

// Close lets the workers go once the queue is empty.
func (p *WorkerPool) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.closed {
		p.closed = true
		close(p.done)
	}
}

func (p *WorkerPool) work(fn func()) {
	fn()
	for {
		select {
		case fn := <-p.queue:
			fn()
		case <-p.done:
			// Nothing is queued after Close: run what was, then go.
			for {
				select {
				case fn := <-p.queue:
					fn()
				default:
					return
				}
			}
		}
	}
}
