package udptracker

// waitingOnConnect is how many callers wait for a connect another started.
func (c *Client) waitingOnConnect() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sharing
}
