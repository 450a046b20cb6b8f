package actors

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

func TestRequestReplyAndContext(t *testing.T) {
	sys := NewSystem(nil)
	defer sys.Shutdown()
	echo := sys.Root.Spawn(actor.PropsFromFunc(func(c actor.Context) {
		if s, ok := c.Message().(string); ok && s != "silent" {
			c.Respond(s + "!")
		}
	}))
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute) // only a hung test meets it
	defer cancel()
	r, err := Request(ctx, sys.Root, echo, "hi")
	if err != nil || r != "hi!" {
		t.Fatalf("Request = %v, %v", r, err)
	}
	short, cancel2 := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel2()
	if _, err := Request(short, sys.Root, echo, "silent"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("silent actor: err = %v, want deadline exceeded", err)
	}
	done, cancel3 := context.WithCancel(context.Background())
	cancel3()
	if _, err := Request(done, sys.Root, echo, "hi"); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled ctx: err = %v", err)
	}
}
