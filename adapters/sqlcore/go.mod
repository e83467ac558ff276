module github.com/goalkit/goalkit/adapters/sqlcore

go 1.25.0

require (
	github.com/goalkit/goalkit v0.1.0
	github.com/rickb777/date/v2 v2.1.9
	github.com/shopspring/decimal v1.6.0
	pgregory.net/rapid v1.3.0
)

require (
	github.com/expr-lang/expr v1.17.8 // indirect
	github.com/govalues/decimal v0.1.36 // indirect
	github.com/rickb777/period v1.0.16 // indirect
	github.com/rickb777/plural v1.4.4 // indirect
	go.yaml.in/yaml/v3 v3.0.6 // indirect
)
