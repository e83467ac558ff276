package eventfile

import (
	"os"
	"strconv"
)

func codedBlockSize() int {
	if n, err := strconv.Atoi(os.Getenv("ZZ_BLOCK")); err == nil {
		return n
	}
	return partBlockSize
}
