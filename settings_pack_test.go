package actorrent

import (
	"errors"
	"testing"
)

func TestSettingsPack(t *testing.T) {
	p := DefaultSettings()
	if got := p.Int(AlertQueueSize); got != 1000 {
		t.Fatalf("alert_queue_size default %d", got)
	}
	if err := p.SetByName("alert_queue_size", 5); err != nil || p.Int(AlertQueueSize) != 5 {
		t.Fatalf("SetByName int: %v %d", err, p.Int(AlertQueueSize))
	}
	if err := p.SetByName("listen_interfaces", "127.0.0.1:0"); err != nil || p.Str(ListenInterfaces) != "127.0.0.1:0" {
		t.Fatal("SetByName string")
	}
	if err := p.SetByName("alert_queue_size", "many"); !errors.Is(err, ErrInvalidSetting) {
		t.Fatalf("wrong type: %v", err)
	}
	if err := p.SetByName("no_such_setting", 1); !errors.Is(err, ErrInvalidSetting) {
		t.Fatalf("unknown name: %v", err)
	}
	var empty SettingsPack
	if empty.Str(PeerFingerprint) != "-AR0001-" {
		t.Fatal("zero pack must read defaults")
	}
	q := p
	q.SetInt(CacheSize, 1)
	if len(SettingNames()) < 5 {
		t.Fatal("SettingNames")
	}
}
