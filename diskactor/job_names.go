package diskactor

// Jobs are named by their operation in fault rules (supervisor.Named), so
// a plan can say "fail writes with ENOSPC" without knowing our types.

func (*hashWriteJob) FaultName() string  { return "write" }
func (*hashJob) FaultName() string       { return "hash" }
func (*flushJob) FaultName() string      { return "flush" }
func (*readJob) FaultName() string       { return "read" }
func (*checkJob) FaultName() string      { return "check" }
func (*closeJob) FaultName() string      { return "remove" }
func (*emptyFilesJob) FaultName() string { return "create" }
func (*statJob) FaultName() string       { return "stat" }
func (*moveJob) FaultName() string       { return "move" }
func (*renameJob) FaultName() string     { return "rename" }
func (*releaseJob) FaultName() string    { return "release" }
func (*syncJob) FaultName() string       { return "sync" }
func (*priorityJob) FaultName() string   { return "priority" }
