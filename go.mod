module github.com/goalkit/goalkit

go 1.24.1

require (
	github.com/rickb777/date/v2 v2.1.9
	github.com/shopspring/decimal v1.6.0
)

require (
	github.com/govalues/decimal v0.1.36 // indirect
	github.com/rickb777/period v1.0.16 // indirect
	github.com/rickb777/plural v1.4.4 // indirect
)
