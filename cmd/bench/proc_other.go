//go:build unix && !linux

package main

import (
	"syscall"
	"time"
)

// procAttr gives a child its own process group.
func procAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}

// sampleAnon is Linux-only; elsewhere it reports 0.
func sampleAnon(int) (stop func() int64) { return func() int64 { return 0 } }

// childWithArg is Linux-only; elsewhere it finds nothing.
func childWithArg(string) int { return 0 }

// cpuTime is Linux-only; elsewhere it reports 0.
func cpuTime(int) time.Duration { return 0 }

// readAnonKiB is Linux-only; elsewhere it reports 0.
func readAnonKiB(int) int64 { return 0 }
