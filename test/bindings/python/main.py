"""examples/main.ts in Python: the same charts, synthesized into CDK8S_OUTDIR.

Each chart mirrors the TypeScript file of the same name in examples/; the
YAML must be byte-identical to examples/dist/ (test/bindings/run.sh checks).
"""
import os

import cdk8s_plus_28 as kplus
from cdk8s import App, Chart, Cron, Duration, Include, Size
from constructs import Construct

from cdk8s_sidecar_first import (
    DependentInitContainerProps,
    ReadinessCheck,
    SidecarFirst,
    SidecarFirstCronJob,
    SidecarFirstDeployment,
    SidecarProps,
)

EXAMPLES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "examples")


def small(cpu: int = 50, memory: int = 64) -> kplus.ContainerResources:
    return kplus.ContainerResources(
        cpu=kplus.CpuResources(request=kplus.Cpu.millis(cpu)),
        memory=kplus.MemoryResources(request=Size.mebibytes(memory), limit=Size.mebibytes(memory * 2)),
    )


def nginx_sidecar(scope: Construct) -> SidecarProps:
    """nginx in front of the app, as an unprivileged, read-only sidecar."""
    return SidecarProps(
        name="nginx",
        image="nginxinc/nginx-unprivileged:1.27",
        port_number=8080,
        volume_mounts=[kplus.VolumeMount(path="/tmp", volume=kplus.Volume.from_empty_dir(scope, "nginx-tmp", "nginx-tmp"))],
        resources=kplus.ContainerResources(
            cpu=kplus.CpuResources(request=kplus.Cpu.millis(50), limit=kplus.Cpu.millis(200)),
            memory=kplus.MemoryResources(request=Size.mebibytes(32), limit=Size.mebibytes(64)),
        ),
        readiness_check=ReadinessCheck.http_get("/"),
        startup_timeout=Duration.minutes(2),
    )


class NginxAppChart(Chart):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        SidecarFirstDeployment(
            self, "web",
            replicas=2,
            containers=[kplus.ContainerProps(name="app", image="ghcr.io/example/app:1.4.0", port_number=3000)],
            sidecars=[nginx_sidecar(self)],
        )


class LegacyClusterChart(Chart):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        SidecarFirstDeployment(
            self, "web",
            kubernetes_version="1.28.9-eks-036c24b",
            containers=[kplus.ContainerProps(name="app", image="ghcr.io/example/app:1.4.0", port_number=3000)],
            sidecars=[nginx_sidecar(self)],
        )


class DistrolessSidecarChart(Chart):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        SidecarFirstDeployment(
            self, "api",
            kubernetes_version="1.27",
            wait_tool_image="busybox:1.36-musl",
            containers=[kplus.ContainerProps(name="api", image="ghcr.io/example/api:2.0.1", port_number=8080)],
            sidecars=[SidecarProps(
                name="secrets-agent",
                image="gcr.io/example/secrets-agent:0.9-distroless",
                port_number=8200,
                resources=small(20, 32),
                readiness_check=ReadinessCheck.http_get("/v1/sys/health"),
                startup_timeout=Duration.seconds(60),
            )],
        )


class MigrationAfterProxyChart(Chart):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        SidecarFirstDeployment(
            self, "orders",
            kubernetes_version="1.30",
            init_containers=[kplus.ContainerProps(name="render-config", image="ghcr.io/example/render-config:1", resources=small())],
            containers=[kplus.ContainerProps(name="orders", image="ghcr.io/example/orders:3.1.0", port_number=8080)],
            sidecars=[SidecarProps(
                name="cloud-sql-proxy",
                image="gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.13.0",
                args=["--port=5432", "--health-check", "--http-address=0.0.0.0", "example:europe-west1:orders"],
                resources=small(),
                readiness_check=ReadinessCheck.http_get("/readiness", port=9090),
                startup_timeout=Duration.minutes(3),
            )],
            dependent_init_containers=[DependentInitContainerProps(
                name="migrate",
                image="ghcr.io/example/orders-migrations:3.1.0",
                command=["migrate", "-database", "postgres://orders@127.0.0.1:5432/orders", "up"],
                resources=small(),
                needs=["cloud-sql-proxy"],
            )],
        )


class JobWithSidecarChart(Chart):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        SidecarFirstCronJob(
            self, "report",
            kubernetes_version="1.29",
            schedule=Cron.daily(),
            containers=[kplus.ContainerProps(name="report", image="ghcr.io/example/report:5", args=["--yesterday"])],
            sidecars=[SidecarProps(
                name="envoy",
                image="envoyproxy/envoy:v1.31.2",
                port_number=9901,
                resources=small(),
                readiness_check=ReadinessCheck.http_get("/ready"),
            )],
        )


class AttachToExistingChart(Chart):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)
        shop = Include(self, "shop", url=os.path.join(EXAMPLES, "existing", "shop.yaml"))
        SidecarFirst.patch(
            shop.api_objects[0],
            kubernetes_version="1.31",
            sidecars=[SidecarProps(
                name="pgbouncer",
                image="bitnami/pgbouncer:1.23.1",
                port_number=5432,
                resources=small(),
                readiness_check=ReadinessCheck.tcp_socket(),
            )],
        )

        worker = kplus.Deployment(
            self, "worker",
            containers=[kplus.ContainerProps(name="worker", image="ghcr.io/example/worker:2", resources=small())],
        )
        SidecarFirst.attach(
            worker,
            kubernetes_version="1.31",
            sidecars=[SidecarProps(
                name="fluent-bit",
                image="fluent/fluent-bit:3.1",
                port_number=2020,
                resources=small(),
                readiness_check=ReadinessCheck.http_get("/api/v1/health"),
            )],
        )


NGINX_CONF = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "nginx.conf")).read()


class FrontProxyChart(Chart):
    def __init__(self, scope: Construct, id: str):
        super().__init__(scope, id)

        def sized(cpu: int, memory: int) -> kplus.ContainerResources:
            return kplus.ContainerResources(
                cpu=kplus.CpuResources(request=kplus.Cpu.millis(cpu), limit=kplus.Cpu.millis(cpu * 4)),
                memory=kplus.MemoryResources(request=Size.mebibytes(memory), limit=Size.mebibytes(memory * 2)),
            )

        web = SidecarFirstDeployment(
            self, "web",
            replicas=2,
            kubernetes_version="1.29",
            containers=[kplus.ContainerProps(name="app", image="ghcr.io/example/app:1.4.0", resources=sized(100, 128))],
        )
        nginx = web.add_sidecar(
            name="nginx",
            image="nginxinc/nginx-unprivileged:1.27",
            port_number=8080,
            resources=sized(50, 32),
            readiness_check=ReadinessCheck.http_get("/healthz"),
        )
        conf = kplus.ConfigMap(self, "nginx-conf", data={"default.conf": NGINX_CONF})
        nginx.mount("/etc/nginx/conf.d", kplus.Volume.from_config_map(self, "conf", conf), read_only=True)
        nginx.mount("/tmp", kplus.Volume.from_empty_dir(self, "tmp", "nginx-tmp"))
        web.expose_via_service(name="web", ports=[kplus.ServicePort(name="http", port=80, target_port=8080)])


app = App()
NginxAppChart(app, "nginx-app")
LegacyClusterChart(app, "nginx-app-k8s-1-28")
DistrolessSidecarChart(app, "distroless-sidecar-k8s-1-27")
MigrationAfterProxyChart(app, "migration-after-proxy")
JobWithSidecarChart(app, "job-with-sidecar")
AttachToExistingChart(app, "attach-to-existing")
FrontProxyChart(app, "front-proxy")
app.synth()
