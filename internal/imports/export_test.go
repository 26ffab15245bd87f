package imports

import "time"

// SetSlots changes how many imports s takes at once and how long others wait, for tests.
func SetSlots(s *Store, n int, wait time.Duration) { s.slots = newSlots(n, wait) }
