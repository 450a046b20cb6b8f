//go:build !linux

package storage

import "os"

// preadNoWait is Linux only (preadv2 RWF_NOWAIT): elsewhere ReadAtAhead
// reads plainly.
func preadNoWait(*os.File, []byte, int64) (int, bool) { return 0, false }

func fadviseWillNeed(*os.File, int64, int64) {}
