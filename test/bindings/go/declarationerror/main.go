// A declaration error reaches Go as a panic: prints its message (test/bindings/run.sh compares it).
package main

import (
	"fmt"
	"os"

	"github.com/aws/jsii-runtime-go"
	"github.com/cdk8s-sidecar-first/cdk8s-sidecar-first-go/sidecarfirst"
	"github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2"
	kplus "github.com/cdk8s-team/cdk8s-plus-go/cdk8splus28/v2"
)

func declare(chart cdk8s.Chart) (message string) {
	defer func() {
		if r := recover(); r != nil {
			message = fmt.Sprint(r)
		}
	}()
	sidecarfirst.NewSidecarFirstDeployment(chart, jsii.String("web"), &sidecarfirst.SidecarFirstDeploymentProps{
		Containers: &[]*kplus.ContainerProps{{Name: jsii.String("app"), Image: jsii.String("my/app:1"), PortNumber: jsii.Number(8080)}},
		Sidecars: &[]*sidecarfirst.SidecarProps{{
			Name:       jsii.String("proxy"),
			Image:      jsii.String("nginx:1.27"),
			PortNumber: jsii.Number(80),
			ReadinessCheck: sidecarfirst.ReadinessCheck_HttpGet(jsii.String("/healthz"), &sidecarfirst.HttpGetCheckOptions{
				Headers: &map[string]*string{"X_Token": jsii.String("v")},
			}),
		}},
	})
	return ""
}

func main() {
	defer jsii.Close()
	message := declare(cdk8s.NewChart(cdk8s.NewApp(nil), jsii.String("errors"), nil))
	if message == "" {
		fmt.Fprintln(os.Stderr, "declared without an error")
		os.Exit(1)
	}
	fmt.Println(message)
}
