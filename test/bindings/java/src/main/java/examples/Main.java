package examples;

import io.github.cdk8s_sidecar_first.DependentInitContainerProps;
import io.github.cdk8s_sidecar_first.HttpGetCheckOptions;
import io.github.cdk8s_sidecar_first.ReadinessCheck;
import io.github.cdk8s_sidecar_first.SidecarFirst;
import io.github.cdk8s_sidecar_first.SidecarFirstCronJob;
import io.github.cdk8s_sidecar_first.SidecarFirstDeployment;
import io.github.cdk8s_sidecar_first.SidecarFirstOptions;
import io.github.cdk8s_sidecar_first.SidecarProps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cdk8s.App;
import org.cdk8s.Chart;
import org.cdk8s.Cron;
import org.cdk8s.Duration;
import org.cdk8s.Include;
import org.cdk8s.Size;
import org.cdk8s.plus28.ConfigMap;
import org.cdk8s.plus28.Container;
import org.cdk8s.plus28.ContainerProps;
import org.cdk8s.plus28.ContainerResources;
import org.cdk8s.plus28.Cpu;
import org.cdk8s.plus28.CpuResources;
import org.cdk8s.plus28.Deployment;
import org.cdk8s.plus28.DeploymentExposeViaServiceOptions;
import org.cdk8s.plus28.MemoryResources;
import org.cdk8s.plus28.MountOptions;
import org.cdk8s.plus28.ServicePort;
import org.cdk8s.plus28.Volume;
import org.cdk8s.plus28.VolumeMount;
import software.constructs.Construct;

/**
 * examples/main.ts in Java: the same charts, synthesized into CDK8S_OUTDIR.
 * Each chart mirrors the TypeScript file of the same name in examples/; the
 * YAML must be byte-identical to examples/dist/ (test/bindings/run.sh checks).
 * The first argument is the repository's root (for examples/existing/shop.yaml
 * and test/bindings/nginx.conf).
 */
public final class Main {
  static Path root;

  static ContainerResources small(int cpu, int memory) {
    return ContainerResources.builder()
        .cpu(CpuResources.builder().request(Cpu.millis(cpu)).build())
        .memory(MemoryResources.builder().request(Size.mebibytes(memory)).limit(Size.mebibytes(memory * 2)).build())
        .build();
  }

  /** nginx in front of the app, as an unprivileged, read-only sidecar. */
  static SidecarProps nginxSidecar(Construct scope) {
    return SidecarProps.builder()
        .name("nginx")
        .image("nginxinc/nginx-unprivileged:1.27")
        .portNumber(8080)
        .volumeMounts(List.of(VolumeMount.builder().path("/tmp").volume(Volume.fromEmptyDir(scope, "nginx-tmp", "nginx-tmp")).build()))
        .resources(ContainerResources.builder()
            .cpu(CpuResources.builder().request(Cpu.millis(50)).limit(Cpu.millis(200)).build())
            .memory(MemoryResources.builder().request(Size.mebibytes(32)).limit(Size.mebibytes(64)).build())
            .build())
        .readinessCheck(ReadinessCheck.httpGet("/"))
        .startupTimeout(Duration.minutes(2))
        .build();
  }

  static final class NginxAppChart extends Chart {
    NginxAppChart(Construct scope, String id) {
      super(scope, id);
      SidecarFirstDeployment.Builder.create(this, "web")
          .replicas(2)
          .containers(List.of(ContainerProps.builder().name("app").image("ghcr.io/example/app:1.4.0").portNumber(3000).build()))
          .sidecars(List.of(nginxSidecar(this)))
          .build();
    }
  }

  static final class LegacyClusterChart extends Chart {
    LegacyClusterChart(Construct scope, String id) {
      super(scope, id);
      SidecarFirstDeployment.Builder.create(this, "web")
          .kubernetesVersion("1.28.9-eks-036c24b")
          .containers(List.of(ContainerProps.builder().name("app").image("ghcr.io/example/app:1.4.0").portNumber(3000).build()))
          .sidecars(List.of(nginxSidecar(this)))
          .build();
    }
  }

  static final class DistrolessSidecarChart extends Chart {
    DistrolessSidecarChart(Construct scope, String id) {
      super(scope, id);
      SidecarFirstDeployment.Builder.create(this, "api")
          .kubernetesVersion("1.27")
          .waitToolImage("busybox:1.36-musl")
          .containers(List.of(ContainerProps.builder().name("api").image("ghcr.io/example/api:2.0.1").portNumber(8080).build()))
          .sidecars(List.of(SidecarProps.builder()
              .name("secrets-agent")
              .image("gcr.io/example/secrets-agent:0.9-distroless")
              .portNumber(8200)
              .resources(small(20, 32))
              .readinessCheck(ReadinessCheck.httpGet("/v1/sys/health"))
              .startupTimeout(Duration.seconds(60))
              .build()))
          .build();
    }
  }

  static final class MigrationAfterProxyChart extends Chart {
    MigrationAfterProxyChart(Construct scope, String id) {
      super(scope, id);
      SidecarFirstDeployment.Builder.create(this, "orders")
          .kubernetesVersion("1.30")
          .initContainers(List.of(ContainerProps.builder().name("render-config").image("ghcr.io/example/render-config:1").resources(small(50, 64)).build()))
          .containers(List.of(ContainerProps.builder().name("orders").image("ghcr.io/example/orders:3.1.0").portNumber(8080).build()))
          .sidecars(List.of(SidecarProps.builder()
              .name("cloud-sql-proxy")
              .image("gcr.io/cloud-sql-connectors/cloud-sql-proxy:2.13.0")
              .args(List.of("--port=5432", "--health-check", "--http-address=0.0.0.0", "example:europe-west1:orders"))
              .resources(small(50, 64))
              .readinessCheck(ReadinessCheck.httpGet("/readiness", HttpGetCheckOptions.builder().port(9090).build()))
              .startupTimeout(Duration.minutes(3))
              .build()))
          .dependentInitContainers(List.of(DependentInitContainerProps.builder()
              .name("migrate")
              .image("ghcr.io/example/orders-migrations:3.1.0")
              .command(List.of("migrate", "-database", "postgres://orders@127.0.0.1:5432/orders", "up"))
              .resources(small(50, 64))
              .needs(List.of("cloud-sql-proxy"))
              .build()))
          .build();
    }
  }

  static final class JobWithSidecarChart extends Chart {
    JobWithSidecarChart(Construct scope, String id) {
      super(scope, id);
      SidecarFirstCronJob.Builder.create(this, "report")
          .kubernetesVersion("1.29")
          .schedule(Cron.daily())
          .containers(List.of(ContainerProps.builder().name("report").image("ghcr.io/example/report:5").args(List.of("--yesterday")).build()))
          .sidecars(List.of(SidecarProps.builder()
              .name("envoy")
              .image("envoyproxy/envoy:v1.31.2")
              .portNumber(9901)
              .resources(small(50, 64))
              .readinessCheck(ReadinessCheck.httpGet("/ready"))
              .build()))
          .build();
    }
  }

  static final class AttachToExistingChart extends Chart {
    AttachToExistingChart(Construct scope, String id) {
      super(scope, id);
      Include shop = Include.Builder.create(this, "shop")
          .url(root.resolve("examples/existing/shop.yaml").toString())
          .build();
      SidecarFirst.patch(shop.getApiObjects().get(0), SidecarFirstOptions.builder()
          .kubernetesVersion("1.31")
          .sidecars(List.of(SidecarProps.builder()
              .name("pgbouncer")
              .image("bitnami/pgbouncer:1.23.1")
              .portNumber(5432)
              .resources(small(50, 64))
              .readinessCheck(ReadinessCheck.tcpSocket())
              .build()))
          .build());

      Deployment worker = Deployment.Builder.create(this, "worker")
          .containers(List.of(ContainerProps.builder().name("worker").image("ghcr.io/example/worker:2").resources(small(50, 64)).build()))
          .build();
      SidecarFirst.attach(worker, SidecarFirstOptions.builder()
          .kubernetesVersion("1.31")
          .sidecars(List.of(SidecarProps.builder()
              .name("fluent-bit")
              .image("fluent/fluent-bit:3.1")
              .portNumber(2020)
              .resources(small(50, 64))
              .readinessCheck(ReadinessCheck.httpGet("/api/v1/health"))
              .build()))
          .build());
    }
  }

  static final class FrontProxyChart extends Chart {
    FrontProxyChart(Construct scope, String id) throws IOException {
      super(scope, id);
      String nginxConf = Files.readString(root.resolve("test/bindings/nginx.conf"), StandardCharsets.UTF_8);
      SidecarFirstDeployment web = SidecarFirstDeployment.Builder.create(this, "web")
          .replicas(2)
          .kubernetesVersion("1.29")
          .containers(List.of(ContainerProps.builder().name("app").image("ghcr.io/example/app:1.4.0").resources(sized(100, 128)).build()))
          .build();
      Container nginx = web.addSidecar(SidecarProps.builder()
          .name("nginx")
          .image("nginxinc/nginx-unprivileged:1.27")
          .portNumber(8080)
          .resources(sized(50, 32))
          .readinessCheck(ReadinessCheck.httpGet("/healthz"))
          .build());
      ConfigMap conf = ConfigMap.Builder.create(this, "nginx-conf").data(Map.of("default.conf", nginxConf)).build();
      nginx.mount("/etc/nginx/conf.d", Volume.fromConfigMap(this, "conf", conf), MountOptions.builder().readOnly(true).build());
      nginx.mount("/tmp", Volume.fromEmptyDir(this, "tmp", "nginx-tmp"));
      web.exposeViaService(DeploymentExposeViaServiceOptions.builder()
          .name("web")
          .ports(List.of(ServicePort.builder().name("http").port(80).targetPort(8080).build()))
          .build());
    }

    static ContainerResources sized(int cpu, int memory) {
      return ContainerResources.builder()
          .cpu(CpuResources.builder().request(Cpu.millis(cpu)).limit(Cpu.millis(cpu * 4)).build())
          .memory(MemoryResources.builder().request(Size.mebibytes(memory)).limit(Size.mebibytes(memory * 2)).build())
          .build();
    }
  }

  public static void main(String[] args) throws IOException {
    root = Path.of(args[0]);
    App app = new App();
    new NginxAppChart(app, "nginx-app");
    new LegacyClusterChart(app, "nginx-app-k8s-1-28");
    new DistrolessSidecarChart(app, "distroless-sidecar-k8s-1-27");
    new MigrationAfterProxyChart(app, "migration-after-proxy");
    new JobWithSidecarChart(app, "job-with-sidecar");
    new AttachToExistingChart(app, "attach-to-existing");
    new FrontProxyChart(app, "front-proxy");
    app.synth();
  }
}
