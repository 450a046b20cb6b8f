package dhtactor

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/anacrolix/dht/v2"
	"github.com/anacrolix/dht/v2/bep44"
	k_nearest_nodes "github.com/anacrolix/dht/v2/k-nearest-nodes"
	"github.com/anacrolix/dht/v2/krpc"
	"github.com/anacrolix/dht/v2/traversal"
)

// putItem stores put on the nodes closest to its target: a get traversal
// toward the target collects their write tokens, then each is sent the
// put. It returns how many nodes stored it. (The library's getput.Put
// does the same but says only how many nodes answered the get, not which
// stored the item: a put refused for its cas or seq would look done.)
func putItem(ctx context.Context, srv *dht.Server, put bep44.Put) int {
	target := put.Target()
	op := traversal.Start(traversal.OperationInput{
		Alpha:  15,
		Target: target,
		DoQuery: func(ctx context.Context, addr krpc.NodeAddr) traversal.QueryResult {
			res := srv.Get(ctx, dht.NewAddr(addr.UDP()), target, nil, dht.QueryRateLimiting{})
			tqr := res.TraversalQueryResult(addr)
			// Only a node that gave a token can be put to.
			if _, ok := tqr.ClosestData.(string); !ok {
				tqr.ClosestData, tqr.ResponseFrom = nil, nil
			}
			return tqr
		},
		NodeFilter: srv.TraversalNodeFilter,
		DataFilter: func(d any) bool { _, ok := d.(string); return ok },
	})
	nodes, err := srv.TraversalStartingNodes()
	if err != nil {
		op.Stop()
		return 0
	}
	op.AddNodes(nodes)
	select {
	case <-op.Stalled():
	case <-ctx.Done():
	}
	op.Stop()
	var ok atomic.Int32
	var wg sync.WaitGroup
	op.Closest().Range(func(e k_nearest_nodes.Elem) {
		token, _ := e.Data.(string)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if srv.Put(ctx, dht.NewAddr(e.Addr.UDP()), put, token, dht.QueryRateLimiting{}).ToError() == nil {
				ok.Add(1)
			}
		}()
	})
	wg.Wait()
	return int(ok.Load())
}
