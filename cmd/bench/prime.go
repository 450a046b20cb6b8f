package main

import (
	"os"
	"syscall"
)

// primePages writes and deletes size bytes of scratch in dir before a
// download, so that each side's download writes into page-cache pages the
// kernel has just freed. On the VMs this runs on, a page the guest has not
// used for a while costs several times more to write the first time (the
// host backs it anew: measured 4 s of sys time per GiB against 0.35 s for
// a page just freed), and which side of the bench inherits the other's
// freed pages was otherwise a matter of timing, swinging a run by 1-2 s
// of CPU. Both sides get the same preparation.
func primePages(dir string, size int64) error {
	f, err := os.CreateTemp(dir, "prime-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	buf := make([]byte, 1<<20)
	for i := range buf {
		buf[i] = byte(i)
	}
	for off := int64(0); off < size; off += int64(len(buf)) {
		if _, err := f.Write(buf[:min(int64(len(buf)), size-off)]); err != nil {
			f.Close()
			return err
		}
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Remove(f.Name()); err != nil {
		return err
	}
	syscall.Sync()
	return nil
}
