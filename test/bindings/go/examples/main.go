// examples/main.ts in Go: the same charts, synthesized into CDK8S_OUTDIR.
// Each chart mirrors the TypeScript file of the same name in examples/; the
// YAML must be byte-identical to examples/dist/ (test/bindings/run.sh checks).
// The first argument is the repository's root (for examples/existing/shop.yaml
// and test/bindings/nginx.conf).
package main

import (
	"os"
	"path/filepath"

	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdk8s-sidecar-first/cdk8s-sidecar-first-go/sidecarfirst"
	"github.com/cdk8s-team/cdk8s-core-go/cdk8s/v2"
	kplus "github.com/cdk8s-team/cdk8s-plus-go/cdk8splus28/v2"
)

var root string

func small(cpu, memory float64) *kplus.ContainerResources {
	return &kplus.ContainerResources{
		Cpu:    &kplus.CpuResources{Request: kplus.Cpu_Millis(jsii.Number(cpu))},
		Memory: &kplus.MemoryResources{Request: cdk8s.Size_Mebibytes(jsii.Number(memory)), Limit: cdk8s.Size_Mebibytes(jsii.Number(memory * 2))},
	}
}

// nginxSidecar is nginx in front of the app, as an unprivileged, read-only sidecar.
func nginxSidecar(scope constructs.Construct) *sidecarfirst.SidecarProps {
	return &sidecarfirst.SidecarProps{
		Name:       jsii.String("nginx"),
		Image:      jsii.String("nginxinc/nginx-unprivileged:1.27"),
		PortNumber: jsii.Number(8080),
		VolumeMounts: &[]*kplus.VolumeMount{{
			Path:   jsii.String("/tmp"),
			Volume: kplus.Volume_FromEmptyDir(scope, jsii.String("nginx-tmp"), jsii.String("nginx-tmp"), nil),
		}},
		Resources: &kplus.ContainerResources{
			Cpu:    &kplus.CpuResources{Request: kplus.Cpu_Millis(jsii.Number(50)), Limit: kplus.Cpu_Millis(jsii.Number(200))},
			Memory: &kplus.MemoryResources{Request: cdk8s.Size_Mebibytes(jsii.Number(32)), Limit: cdk8s.Size_Mebibytes(jsii.Number(64))},
		},
		ReadinessCheck: sidecarfirst.ReadinessCheck_HttpGet(jsii.String("/"), nil),
		StartupTimeout: cdk8s.Duration_Minutes(jsii.Number(2)),
	}
}

func nginxAppChart(scope constructs.Construct, id string) {
	chart := cdk8s.NewChart(scope, jsii.String(id), nil)
	sidecarfirst.NewSidecarFirstDeployment(chart, jsii.String("web"), &sidecarfirst.SidecarFirstDeploymentProps{
		Replicas:   jsii.Number(2),
		Containers: &[]*kplus.ContainerProps{{Name: jsii.String("app"), Image: jsii.String("ghcr.io/example/app:1.4.0"), PortNumber: jsii.Number(3000)}},
		Sidecars:   &[]*sidecarfirst.SidecarProps{nginxSidecar(chart)},
	})
}

func legacyClusterChart(scope constructs.Construct, id string) {
	chart := cdk8s.NewChart(scope, jsii.String(id), nil)
	sidecarfirst.NewSidecarFirstDeployment(chart, jsii.String("web"), &sidecarfirst.SidecarFirstDeploymentProps{
		KubernetesVersion: jsii.String("1.28.9-eks-036c24b"),
		Containers:        &[]*kplus.ContainerProps{{Name: jsii.String("app"), Image: jsii.String("ghcr.io/example/app:1.4.0"), PortNumber: jsii.Number(3000)}},
		Sidecars:          &[]*sidecarfirst.SidecarProps{nginxSidecar(chart)},
	})
}

func distrolessSidecarChart(scope constructs.Construct, id string) {
	chart := cdk8s.NewChart(scope, jsii.String(id), nil)
	sidecarfirst.NewSidecarFirstDeployment(chart, jsii.String("api"), &sidecarfirst.SidecarFirstDeploymentProps{
		KubernetesVersion: jsii.String("1.27"),
		WaitToolImage:     jsii.String("busybox:1.36-musl"),
		Containers:        &[]*kplus.ContainerProps{{Name: jsii.String("api"), Image: jsii.String("ghcr.io/example/api:2.0.1"), PortNumber: jsii.Number(8080)}},
		Sidecars: &[]*sidecarfirst.SidecarProps{{
			Name:           jsii.String("secrets-agent"),
			Image:          jsii.String("gcr.io/example/secrets-agent:0.9-distroless"),
			PortNumber:     jsii.Number(8200),
			Resources:      small(20, 32),
			ReadinessCheck: sidecarfirst.ReadinessCheck_HttpGet(jsii.String("/v1/sys/health"), nil),
			StartupTimeout: cdk8s.Duration_Seconds(jsii.Number(60)),
		}},
	})
}

func migrationAfterProxyChart(scope constructs.Construct, id string) {
	chart := cdk8s.NewChart(scope, jsii.String(id), nil)
	sidecarfirst.NewSidecarFirstDeployment(chart, jsii.String("orders"), &sidecarfirst.SidecarFirstDeploymentProps{
		KubernetesVersion: jsii.String("1.30"),
		InitContainers:    &[]*kplus.ContainerProps{{Name: jsii.String("render-config"), Image: jsii.String("ghcr.io/example/render-config:1"), Resources: small(50, 64)}},
		Containers:        &[]*kplus.ContainerProps{{Name: jsii.String("orders"), Image: jsii.String("ghcr.io/example/orders:3.1.0"), PortNumber: jsii.Number(8080)}},
		Sidecars: &[]*sidecarfirst.SidecarProps{{
			Name:           jsii.String("cloud-sql-proxy"),
			Image:          jsii.String("gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.13.0"),
			Args:           jsii.Strings("--port=5432", "--health-check", "--http-address=0.0.0.0", "example:europe-west1:orders"),
			Resources:      small(50, 64),
			ReadinessCheck: sidecarfirst.ReadinessCheck_HttpGet(jsii.String("/readiness"), &sidecarfirst.HttpGetCheckOptions{Port: jsii.Number(9090)}),
			StartupTimeout: cdk8s.Duration_Minutes(jsii.Number(3)),
		}},
		DependentInitContainers: &[]*sidecarfirst.DependentInitContainerProps{{
			Name:      jsii.String("migrate"),
			Image:     jsii.String("ghcr.io/example/orders-migrations:3.1.0"),
			Command:   jsii.Strings("migrate", "-database", "postgres://orders@127.0.0.1:5432/orders", "up"),
			Resources: small(50, 64),
			Needs:     jsii.Strings("cloud-sql-proxy"),
		}},
	})
}

func jobWithSidecarChart(scope constructs.Construct, id string) {
	chart := cdk8s.NewChart(scope, jsii.String(id), nil)
	sidecarfirst.NewSidecarFirstCronJob(chart, jsii.String("report"), &sidecarfirst.SidecarFirstCronJobProps{
		KubernetesVersion: jsii.String("1.29"),
		Schedule:          cdk8s.Cron_Daily(),
		Containers:        &[]*kplus.ContainerProps{{Name: jsii.String("report"), Image: jsii.String("ghcr.io/example/report:5"), Args: jsii.Strings("--yesterday")}},
		Sidecars: &[]*sidecarfirst.SidecarProps{{
			Name:           jsii.String("envoy"),
			Image:          jsii.String("envoyproxy/envoy:v1.31.2"),
			PortNumber:     jsii.Number(9901),
			Resources:      small(50, 64),
			ReadinessCheck: sidecarfirst.ReadinessCheck_HttpGet(jsii.String("/ready"), nil),
		}},
	})
}

func attachToExistingChart(scope constructs.Construct, id string) {
	chart := cdk8s.NewChart(scope, jsii.String(id), nil)
	shop := cdk8s.NewInclude(chart, jsii.String("shop"), &cdk8s.IncludeProps{Url: jsii.String(filepath.Join(root, "examples", "existing", "shop.yaml"))})
	sidecarfirst.SidecarFirst_Patch((*shop.ApiObjects())[0], &sidecarfirst.SidecarFirstOptions{
		KubernetesVersion: jsii.String("1.31"),
		Sidecars: &[]*sidecarfirst.SidecarProps{{
			Name:           jsii.String("pgbouncer"),
			Image:          jsii.String("bitnami/pgbouncer:1.23.1"),
			PortNumber:     jsii.Number(5432),
			Resources:      small(50, 64),
			ReadinessCheck: sidecarfirst.ReadinessCheck_TcpSocket(nil),
		}},
	})

	worker := kplus.NewDeployment(chart, jsii.String("worker"), &kplus.DeploymentProps{
		Containers: &[]*kplus.ContainerProps{{Name: jsii.String("worker"), Image: jsii.String("ghcr.io/example/worker:2"), Resources: small(50, 64)}},
	})
	sidecarfirst.SidecarFirst_Attach(worker, &sidecarfirst.SidecarFirstOptions{
		KubernetesVersion: jsii.String("1.31"),
		Sidecars: &[]*sidecarfirst.SidecarProps{{
			Name:           jsii.String("fluent-bit"),
			Image:          jsii.String("fluent/fluent-bit:3.1"),
			PortNumber:     jsii.Number(2020),
			Resources:      small(50, 64),
			ReadinessCheck: sidecarfirst.ReadinessCheck_HttpGet(jsii.String("/api/v1/health"), nil),
		}},
	})
}

func frontProxyChart(scope constructs.Construct, id string) {
	chart := cdk8s.NewChart(scope, jsii.String(id), nil)
	sized := func(cpu, memory float64) *kplus.ContainerResources {
		return &kplus.ContainerResources{
			Cpu:    &kplus.CpuResources{Request: kplus.Cpu_Millis(jsii.Number(cpu)), Limit: kplus.Cpu_Millis(jsii.Number(cpu * 4))},
			Memory: &kplus.MemoryResources{Request: cdk8s.Size_Mebibytes(jsii.Number(memory)), Limit: cdk8s.Size_Mebibytes(jsii.Number(memory * 2))},
		}
	}
	nginxConf, err := os.ReadFile(filepath.Join(root, "test", "bindings", "nginx.conf"))
	if err != nil {
		panic(err)
	}
	web := sidecarfirst.NewSidecarFirstDeployment(chart, jsii.String("web"), &sidecarfirst.SidecarFirstDeploymentProps{
		Replicas:          jsii.Number(2),
		KubernetesVersion: jsii.String("1.29"),
		Containers:        &[]*kplus.ContainerProps{{Name: jsii.String("app"), Image: jsii.String("ghcr.io/example/app:1.4.0"), Resources: sized(100, 128)}},
	})
	nginx := web.AddSidecar(&sidecarfirst.SidecarProps{
		Name:           jsii.String("nginx"),
		Image:          jsii.String("nginxinc/nginx-unprivileged:1.27"),
		PortNumber:     jsii.Number(8080),
		Resources:      sized(50, 32),
		ReadinessCheck: sidecarfirst.ReadinessCheck_HttpGet(jsii.String("/healthz"), nil),
	})
	conf := kplus.NewConfigMap(chart, jsii.String("nginx-conf"), &kplus.ConfigMapProps{
		Data: &map[string]*string{"default.conf": jsii.String(string(nginxConf))},
	})
	nginx.Mount(jsii.String("/etc/nginx/conf.d"), kplus.Volume_FromConfigMap(chart, jsii.String("conf"), conf, nil), &kplus.MountOptions{ReadOnly: jsii.Bool(true)})
	nginx.Mount(jsii.String("/tmp"), kplus.Volume_FromEmptyDir(chart, jsii.String("tmp"), jsii.String("nginx-tmp"), nil), nil)
	web.ExposeViaService(&kplus.DeploymentExposeViaServiceOptions{
		Name:  jsii.String("web"),
		Ports: &[]*kplus.ServicePort{{Name: jsii.String("http"), Port: jsii.Number(80), TargetPort: jsii.Number(8080)}},
	})
}

func main() {
	defer jsii.Close()
	root = os.Args[1]
	app := cdk8s.NewApp(nil)
	nginxAppChart(app, "nginx-app")
	legacyClusterChart(app, "nginx-app-k8s-1-28")
	distrolessSidecarChart(app, "distroless-sidecar-k8s-1-27")
	migrationAfterProxyChart(app, "migration-after-proxy")
	jobWithSidecarChart(app, "job-with-sidecar")
	attachToExistingChart(app, "attach-to-existing")
	frontProxyChart(app, "front-proxy")
	app.Synth()
}
