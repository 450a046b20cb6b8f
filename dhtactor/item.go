package dhtactor

import (
	"context"
	"crypto/ed25519"
	"time"

	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/supervisor"
	"github.com/anacrolix/dht/v2"
	"github.com/anacrolix/dht/v2/bep44"
	"github.com/anacrolix/dht/v2/exts/getput"
	"github.com/anacrolix/torrent/bencode"
	"github.com/asynkron/protoactor-go/actor"
)

// itemTimeout bounds a BEP 44 get or put traversal.
const itemTimeout = time.Minute

// itemOp is one BEP 44 item get or put: a child actor (kind dht_lookup)
// that runs the traversal on a goroutine and posts the alert that
// answers it.
type itemOp struct {
	srv    *dht.Server
	req    any // *messages.DHTGetItem or *messages.DHTPutItem
	alerts *actor.PID
	sup    *supervisor.Supervision
	cancel context.CancelFunc
}

// itemDone is the traversal's answer: the alert to post.
type itemDone struct{ alert messages.Alert }

func newItemOp(op itemOp) *actor.Props {
	return actor.PropsFromProducer(func() actor.Actor { o := op; return &o })
}

func (o *itemOp) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		o.start(ctx)
	case *itemDone:
		ctx.Send(o.alerts, &messages.PostAlert{Alert: m.alert})
		ctx.Stop(ctx.Self())
	case *messages.GoroutineFailed:
		panic(m)
	case *actor.Stopping:
		if o.cancel != nil {
			o.cancel()
		}
	}
}

func (o *itemOp) start(ctx actor.Context) {
	c, cancel := context.WithTimeout(context.Background(), itemTimeout)
	o.cancel = cancel
	root, self, srv, req, sup := ctx.ActorSystem().Root, ctx.Self(), o.srv, o.req, o.sup
	go func() {
		defer supervisor.Recover(root, self, supervisor.SiteTraversal)
		sup.Inject(supervisor.KindDHTLookup, supervisor.SiteTraversal, "item")
		var al messages.Alert
		switch r := req.(type) {
		case *messages.DHTGetItem:
			al = getItem(c, srv, r)
		case *messages.DHTPutItem:
			put := makePut(r)
			a := &messages.DHTPutAlert{Target: put.Target(), Salt: put.Salt, Seq: put.Seq, NumSuccess: putItem(c, srv, put)}
			if put.K != nil {
				a.PublicKey, a.Signature = *put.K, put.Sig
			}
			a.AlertHeader = messages.Now()
			al = a
		}
		root.Send(self, &itemDone{alert: al})
	}()
}

// getItem runs a get traversal and returns its answer: the immutable item
// whose SHA-1 is the target, or the mutable item of the highest seq that
// is signed by the key (the library checks both).
func getItem(ctx context.Context, srv *dht.Server, r *messages.DHTGetItem) messages.Alert {
	if r.Key == ([32]byte{}) {
		res, _, err := getput.Get(ctx, r.Target, srv, nil, nil)
		a := &messages.DHTImmutableItemAlert{Target: r.Target}
		if err == nil && !res.Mutable {
			a.Item = append([]byte(nil), res.V...)
		}
		a.AlertHeader = messages.Now()
		return a
	}
	res, _, err := getput.Get(ctx, bep44.MakeMutableTarget(r.Key, r.Salt), srv, nil, r.Salt)
	a := &messages.DHTMutableItemAlert{Key: r.Key, Salt: r.Salt}
	if err == nil && res.Mutable {
		a.Item, a.Seq, a.Signature = append([]byte(nil), res.V...), res.Seq, res.Sig
	}
	a.AlertHeader = messages.Now()
	return a
}

// makePut is the put of a request: immutable, or mutable and signed.
func makePut(r *messages.DHTPutItem) bep44.Put {
	put := bep44.Put{V: bencode.Bytes(r.Item)}
	if r.Key == nil {
		return put
	}
	var pub [32]byte
	copy(pub[:], r.Key.Public().(ed25519.PublicKey))
	put.K, put.Salt, put.Seq, put.Cas = &pub, r.Salt, r.Seq, r.CAS
	put.Sign(r.Key)
	return put
}
