module github.com/goalkit/goalkit/adapters/kafka

go 1.25.0

require (
	github.com/goalkit/goalkit v0.1.0
	github.com/twmb/franz-go v1.21.7
	github.com/twmb/franz-go/pkg/kfake v0.0.0-20260515175617-8268a5d078c0
	github.com/twmb/franz-go/pkg/kmsg v1.13.1
)

require (
	github.com/expr-lang/expr v1.17.8 // indirect
	github.com/govalues/decimal v0.1.36 // indirect
	github.com/klauspost/compress v1.19.2 // indirect
	github.com/pierrec/lz4/v4 v4.1.26 // indirect
	github.com/rickb777/date/v2 v2.1.9 // indirect
	github.com/rickb777/period v1.0.16 // indirect
	github.com/rickb777/plural v1.4.4 // indirect
	github.com/shopspring/decimal v1.6.0 // indirect
	go.yaml.in/yaml/v3 v3.0.6 // indirect
	golang.org/x/crypto v0.51.0 // indirect
	pgregory.net/rapid v1.3.0 // indirect
)
