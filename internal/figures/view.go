package figures

// View says whose figures a read sees.
type View int

const (
	// Public is what the public sees: every month as it was last published,
	// nothing of a month never published.
	Public View = iota
	// Staff is every figure as it is now, published or not.
	Staff
)

// figuresTable is the table that holds the view's figures.
func (v View) figuresTable() string {
	if v == Staff {
		return "figures"
	}
	return "published_figures"
}

// totalsTable is the table that holds the view's month totals.
func (v View) totalsTable() string {
	if v == Staff {
		return "month_totals"
	}
	return "published_totals"
}

// String names the view, for cache keys and logs.
func (v View) String() string {
	if v == Staff {
		return "staff"
	}
	return "public"
}
