package dhtactor

import (
	"context"
	"crypto/sha1"
	"time"

	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/supervisor"
	"github.com/anacrolix/dht/v2"
	"github.com/anacrolix/dht/v2/bep44"
	"github.com/anacrolix/dht/v2/exts/getput"
	"github.com/anacrolix/dht/v2/krpc"
	"github.com/anacrolix/torrent/bencode"
	"github.com/asynkron/protoactor-go/actor"
)

// itemTimeout bounds a BEP 44 get or put traversal.
const itemTimeout = time.Minute

// itemOp is one BEP 44 immutable item get or put: a child actor (kind
// dht_lookup) that runs the library's traversal on a goroutine and posts
// the alert that answers it.
type itemOp struct {
	srv    *dht.Server
	get    bool
	target [20]byte
	item   []byte // put: the bencoded value
	alerts *actor.PID
	sup    *supervisor.Supervision
	cancel context.CancelFunc
}

// itemDone is the traversal's result: the value found (get), or how many
// nodes it was put to.
type itemDone struct {
	value []byte
	nodes int
}

func newItemOp(op itemOp) *actor.Props {
	return actor.PropsFromProducer(func() actor.Actor { o := op; return &o })
}

func (o *itemOp) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		o.start(ctx)
	case *itemDone:
		if o.get {
			ctx.Send(o.alerts, &messages.PostAlert{Alert: &messages.DHTImmutableItemAlert{
				AlertHeader: messages.Now(), Target: o.target, Item: m.value}})
		} else {
			ctx.Send(o.alerts, &messages.PostAlert{Alert: &messages.DHTPutAlert{
				AlertHeader: messages.Now(), Target: o.target, NumSuccess: m.nodes}})
		}
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
	root, self, srv, get, target, item, sup := ctx.ActorSystem().Root, ctx.Self(), o.srv, o.get, o.target, o.item, o.sup
	go func() {
		defer supervisor.Recover(root, self, supervisor.SiteTraversal)
		sup.Inject(supervisor.KindDHTLookup, supervisor.SiteTraversal, "item")
		if get {
			res, _, err := getput.Get(c, target, srv, nil, nil)
			var v []byte
			if err == nil && !res.Mutable {
				v = append([]byte(nil), res.V...)
			}
			root.Send(self, &itemDone{value: v})
			return
		}
		put := bep44.Put{V: bencode.Bytes(item)}
		stats, err := getput.Put(c, krpc.ID(target), srv, nil, func(int64) bep44.Put { return put })
		n := 0
		if err == nil && stats != nil {
			n = int(stats.NumResponses)
		}
		root.Send(self, &itemDone{nodes: n})
	}()
}

// itemTarget is an immutable item's target: the SHA-1 of its bencoding.
func itemTarget(item []byte) [20]byte { return sha1.Sum(item) }
