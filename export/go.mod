module github.com/goalkit/goalkit/export

go 1.25.0

require (
	codeberg.org/go-fonts/dejavu v0.4.0
	codeberg.org/go-pdf/fpdf v0.12.0
	github.com/go-analyze/charts v0.6.4
	github.com/goalkit/goalkit v0.1.0
	github.com/golang/freetype v0.0.0-20170609003504-e2365dfdc4a0
	github.com/shopspring/decimal v1.6.0
	github.com/xuri/excelize/v2 v2.10.1
	golang.org/x/text v0.41.0
	pgregory.net/rapid v1.3.0
)

require (
	github.com/dustin/go-humanize v1.0.1 // indirect
	github.com/expr-lang/expr v1.17.8 // indirect
	github.com/go-analyze/bulk v0.1.6 // indirect
	github.com/govalues/decimal v0.1.36 // indirect
	github.com/richardlehane/mscfb v1.0.6 // indirect
	github.com/richardlehane/msoleps v1.0.6 // indirect
	github.com/rickb777/date/v2 v2.1.9 // indirect
	github.com/rickb777/period v1.0.16 // indirect
	github.com/rickb777/plural v1.4.4 // indirect
	github.com/tiendc/go-deepcopy v1.7.2 // indirect
	github.com/xuri/efp v0.0.1 // indirect
	github.com/xuri/nfp v0.0.2-0.20250530014748-2ddeb826f9a9 // indirect
	go.yaml.in/yaml/v3 v3.0.6 // indirect
	golang.org/x/crypto v0.48.0 // indirect
	golang.org/x/image v0.45.0 // indirect
	golang.org/x/net v0.50.0 // indirect
)
