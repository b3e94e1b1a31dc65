"""A declaration error reaches Python as an exception: prints its message (test/bindings/run.sh compares it)."""
import sys

import cdk8s_plus_28 as kplus
from cdk8s import App, Chart

from cdk8s_sidecar_first import ReadinessCheck, SidecarFirstDeployment, SidecarProps

chart = Chart(App(), "errors")
try:
    SidecarFirstDeployment(
        chart, "web",
        containers=[kplus.ContainerProps(name="app", image="my/app:1", port_number=8080)],
        sidecars=[SidecarProps(
            name="proxy",
            image="nginx:1.27",
            port_number=80,
            readiness_check=ReadinessCheck.http_get("/healthz", headers={"X_Token": "v"}),
        )],
    )
except RuntimeError as error:
    print(error)
    sys.exit(0)
sys.exit("declared without an error")
