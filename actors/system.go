package actors

import (
	"context"
	"log/slog"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// NewSystem creates an actor system whose own logging goes to log (zap's
// no-op logger when nil). protoactor logs at INFO through slog by default;
// an embedding service must not see our internals unless it asks for them.
func NewSystem(log *zap.Logger) *actor.ActorSystem {
	if log == nil {
		log = zap.NewNop()
	}
	handler := &zapHandler{log: log}
	return actor.NewActorSystem(
		actor.WithLoggerFactory(func(*actor.ActorSystem) *slog.Logger { return slog.New(handler) }),
		actor.WithDeadLetterRequestLogging(false),
		// Messages to actors that just stopped (a peer that closed) are
		// normal here. The throttle's timer goroutine lives one interval;
		// keep it short so a closed session leaves nothing running.
		actor.WithDeadLetterThrottleInterval(50*time.Millisecond),
	)
}

// zapHandler is a minimal slog.Handler that forwards to zap at debug level
// (protoactor's INFO chatter is debug information for us).
type zapHandler struct {
	log   *zap.Logger
	attrs []zap.Field
}

func (h *zapHandler) Enabled(_ context.Context, l slog.Level) bool {
	return h.log.Core().Enabled(zapLevel(l))
}

func (h *zapHandler) Handle(_ context.Context, r slog.Record) error {
	fields := append([]zap.Field(nil), h.attrs...)
	r.Attrs(func(a slog.Attr) bool {
		fields = append(fields, zap.Any(a.Key, a.Value.Any()))
		return true
	})
	if ce := h.log.Check(zapLevel(r.Level), r.Message); ce != nil {
		ce.Write(fields...)
	}
	return nil
}

func (h *zapHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	n := &zapHandler{log: h.log, attrs: append([]zap.Field(nil), h.attrs...)}
	for _, a := range attrs {
		n.attrs = append(n.attrs, zap.Any(a.Key, a.Value.Any()))
	}
	return n
}

func (h *zapHandler) WithGroup(name string) slog.Handler {
	return &zapHandler{log: h.log.Named(name), attrs: h.attrs}
}

// zapLevel maps slog levels one step down: protoactor's INFO is our DEBUG.
func zapLevel(l slog.Level) zapcore.Level {
	switch {
	case l >= slog.LevelError:
		return zapcore.ErrorLevel
	case l >= slog.LevelWarn:
		return zapcore.WarnLevel
	default:
		return zapcore.DebugLevel
	}
}
