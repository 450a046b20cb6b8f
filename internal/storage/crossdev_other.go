//go:build !linux

package storage

import "syscall"

func isCrossDevice(err error) bool { return err == syscall.EXDEV }
