// Command hrx runs the HRX web app and its administration commands.
package main

import (
	"os"

	"hrx/internal/cli"
)

func main() { os.Exit(cli.Run(os.Args)) }
