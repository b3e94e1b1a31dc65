package examples;

import io.github.cdk8s_sidecar_first.HttpGetCheckOptions;
import io.github.cdk8s_sidecar_first.ReadinessCheck;
import io.github.cdk8s_sidecar_first.SidecarFirstDeployment;
import io.github.cdk8s_sidecar_first.SidecarProps;
import java.util.List;
import java.util.Map;
import org.cdk8s.App;
import org.cdk8s.Chart;
import org.cdk8s.plus28.ContainerProps;
import software.amazon.jsii.JsiiError;

/** A declaration error reaches Java as an exception: prints its message (test/bindings/run.sh compares it). */
public final class DeclarationError {
  public static void main(String[] args) {
    Chart chart = new Chart(new App(), "errors");
    try {
      SidecarFirstDeployment.Builder.create(chart, "web")
          .containers(List.of(ContainerProps.builder().name("app").image("my/app:1").portNumber(8080).build()))
          .sidecars(List.of(SidecarProps.builder()
              .name("proxy")
              .image("nginx:1.27")
              .portNumber(80)
              .readinessCheck(ReadinessCheck.httpGet("/healthz", HttpGetCheckOptions.builder().headers(Map.of("X_Token", "v")).build()))
              .build()))
          .build();
    } catch (JsiiError error) {
      // jsii's Java runtime appends the JavaScript stack trace to the message.
      System.out.println(error.getMessage());
      return;
    }
    System.err.println("declared without an error");
    System.exit(1);
  }
}
