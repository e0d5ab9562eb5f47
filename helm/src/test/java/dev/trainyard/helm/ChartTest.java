package dev.trainyard.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import tools.jackson.databind.JsonNode;
import dev.trainyard.helm.Chart.Rendered;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The chart rendered with five value sets (the defaults and the four in helm/trainyard/ci), each manifest read
 * strictly into fabric8's Kubernetes model, and what an operator relies on asserted.
 */
class ChartTest {

    static final String API = "ty-trainyard-api";

    @ParameterizedTest
    @ValueSource(strings = {"defaults", "external-s3-ingress", "pools-keda", "in-chart-postgresql", "minimal"})
    void lintsStrictlyClean(String valueSet) {
        var result = Chart.lint(valueSet);
        assertFalse(result.isFailed(), valueSet + ": helm lint --strict: " + result.getMessages());
        assertTrue(result.getMessages().stream().noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]")),
                valueSet + ": " + result.getMessages());
    }

    @ParameterizedTest
    @ValueSource(strings = {"defaults", "external-s3-ingress", "pools-keda", "in-chart-postgresql", "minimal"})
    void everyManifestIsAKnownKindThatMatchesItsSchema(String valueSet) {
        Rendered r = Chart.template(valueSet);
        assertFalse(r.manifests().isEmpty());
        for (JsonNode m : r.manifests()) {
            String apiVersion = m.path("apiVersion").asText();
            String kind = m.path("kind").asText();
            if (!StrictKubernetesModel.isBuiltIn(apiVersion, kind)) {
                assertTrue(Set.of("keda.sh/v1alpha1/ScaledObject", "monitoring.coreos.com/v1/ServiceMonitor",
                        "monitoring.coreos.com/v1/PodMonitor").contains(apiVersion + "/" + kind),
                        valueSet + ": unexpected kind " + apiVersion + "/" + kind);
            }
        }
        for (HasMetadata resource : r.resources()) {
            String name = resource.getMetadata().getName();
            assertTrue(name.startsWith("ty-trainyard"), valueSet + ": " + name);
            assertTrue(name.length() <= 63, valueSet + ": " + name + " is longer than a DNS label");
            assertEquals("trainyard", resource.getMetadata().getLabels().get("app.kubernetes.io/part-of"), name);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"defaults", "external-s3-ingress", "pools-keda", "in-chart-postgresql", "minimal"})
    void everyContainerHasProbesARestrictedSecurityContextAndResourceRequests(String valueSet) {
        Rendered r = Chart.template(valueSet);
        for (var pod : pods(r).entrySet()) {
            PodSpec spec = pod.getValue();
            String where = valueSet + ": " + pod.getKey();
            assertEquals(Boolean.TRUE, spec.getSecurityContext().getRunAsNonRoot(), where + " runAsNonRoot");
            assertEquals("RuntimeDefault", spec.getSecurityContext().getSeccompProfile().getType(), where);
            assertEquals(Boolean.FALSE, spec.getAutomountServiceAccountToken(), where + " mounts an API token");
            assertNotNull(spec.getTerminationGracePeriodSeconds(), where);
            for (Container c : spec.getContainers()) {
                String at = where + "/" + c.getName();
                assertNotNull(c.getLivenessProbe(), at + " liveness probe");
                assertNotNull(c.getReadinessProbe(), at + " readiness probe");
                var sc = c.getSecurityContext();
                assertEquals(Boolean.TRUE, sc.getReadOnlyRootFilesystem(), at + " readOnlyRootFilesystem");
                assertEquals(Boolean.FALSE, sc.getAllowPrivilegeEscalation(), at + " allowPrivilegeEscalation");
                assertEquals(Boolean.TRUE, sc.getRunAsNonRoot(), at + " runAsNonRoot");
                assertEquals(List.of("ALL"), sc.getCapabilities().getDrop(), at + " capabilities");
                assertEquals("RuntimeDefault", sc.getSeccompProfile().getType(), at + " seccomp");
                Map<String, Quantity> requests = c.getResources().getRequests();
                assertTrue(requests != null && requests.containsKey("cpu") && requests.containsKey("memory"),
                        at + " resource requests: " + requests);
                assertTrue(c.getVolumeMounts().stream().anyMatch(v -> v.getMountPath().equals("/tmp")),
                        at + ": a read-only root needs a writable /tmp");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"defaults", "external-s3-ingress", "pools-keda", "in-chart-postgresql", "minimal"})
    void secretsAreReferencedNeverInlined(String valueSet) {
        Rendered r = Chart.template(valueSet);
        Pattern secretish = Pattern.compile(".*(PASSWORD|TOKEN|SECRET|ACCESSKEY).*");
        Set<String> rendered = r.all(Secret.class).stream().map(s -> s.getMetadata().getName()).collect(Collectors.toSet());
        for (var pod : pods(r).entrySet()) {
            for (Container c : pod.getValue().getContainers()) {
                for (EnvVar env : c.getEnv()) {
                    String at = valueSet + ": " + pod.getKey() + " " + env.getName();
                    if (secretish.matcher(env.getName()).matches()) {
                        assertEquals(null, env.getValue(), at + " has its value inline");
                        var ref = env.getValueFrom().getSecretKeyRef();
                        assertNotNull(ref, at + " is not read from a Secret");
                        if (rendered.contains(ref.getName())) {
                            var data = r.one(Secret.class, ref.getName()).getData();
                            assertTrue(data.containsKey(ref.getKey()), at + ": the Secret has no key " + ref.getKey());
                        }
                    }
                }
            }
        }
        // the chart's own Secrets hold generated values, kept across upgrades and uninstalls, none from the values
        String values = Chart.valuesText(valueSet);
        for (Secret s : r.all(Secret.class)) {
            assertEquals("keep", s.getMetadata().getAnnotations().get("helm.sh/resource-policy"), s.getMetadata().getName());
            assertTrue(s.getStringData() == null || s.getStringData().isEmpty(), s.getMetadata().getName());
            for (String v : s.getData().values()) {
                assertFalse(values.contains(decode(v)), s.getMetadata().getName() + " holds a value from the values");
            }
        }
    }

    @Test
    void strictReadingRejectsWhatTheKubernetesApiWould() {
        String deployment = """
                {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x"},
                 "spec": {"selector": {"matchLabels": {"a": "b"}}, "template": {"metadata": {"labels": {"a": "b"}},
                   "spec": {"containers": [{"name": "c", "image": "i", %s}]}}}}""";
        StrictKubernetesModel.read(Chart.YAML.readTree(deployment.formatted("\"ports\": [{\"containerPort\": 8080}]")));
        var typo = assertThrows(AssertionError.class, () -> StrictKubernetesModel.read(
                Chart.YAML.readTree(deployment.formatted("\"livenessprobe\": {}"))));
        assertTrue(typo.getMessage().contains("livenessprobe"), typo.getMessage());
        var quoted = assertThrows(AssertionError.class, () -> StrictKubernetesModel.read(
                Chart.YAML.readTree(deployment.formatted("\"ports\": [{\"containerPort\": \"8080\"}]"))));
        assertTrue(quoted.getMessage().contains("containerPort") || quoted.getMessage().contains("Integer"), quoted.getMessage());
    }

    @Test
    void generatedTokensHaveTheFormatsTheApiIssues() {
        Secret tokens = Chart.template("defaults").one(Secret.class, "ty-trainyard-tokens");
        String admin = decode(tokens.getData().get("admin-token"));
        String worker = decode(tokens.getData().get("worker-token"));
        assertTrue(admin.matches("ty_[A-Za-z0-9]{43}"), admin);
        assertTrue(worker.matches("tyw_[A-Za-z0-9]{43}"), worker);
        String again = decode(Chart.template("defaults").one(Secret.class, "ty-trainyard-tokens").getData().get("admin-token"));
        assertFalse(again.equals(admin), "each new install gets its own random token");
    }

    @Test
    void anUpgradeKeepsTheTokensAndPasswordTheFirstInstallGenerated() {
        String admin = "ty_" + "a".repeat(43);
        String worker = "tyw_" + "b".repeat(43);
        String password = "c".repeat(43);
        FakeCluster.putSecret(Chart.NAMESPACE, "ty-trainyard-tokens", Map.of("admin-token", encode(admin), "worker-token", encode(worker)));
        FakeCluster.putSecret(Chart.NAMESPACE, "ty-trainyard-postgresql", Map.of("password", encode(password)));
        try {
            Rendered upgrade = Chart.template("in-chart-postgresql");
            Secret tokens = upgrade.one(Secret.class, "ty-trainyard-tokens");
            assertEquals(admin, decode(tokens.getData().get("admin-token")));
            assertEquals(worker, decode(tokens.getData().get("worker-token")));
            assertEquals(password, decode(upgrade.one(Secret.class, "ty-trainyard-postgresql").getData().get("password")));
        } finally {
            FakeCluster.removeSecret(Chart.NAMESPACE, "ty-trainyard-tokens");
            FakeCluster.removeSecret(Chart.NAMESPACE, "ty-trainyard-postgresql");
        }
    }

    @Test
    void gpuLimitsOnlyInGpuPoolsWhichAlsoProbeForGpus() {
        Rendered r = Chart.template("pools-keda");
        Deployment gpu = r.one(Deployment.class, "ty-trainyard-worker-a100");
        Deployment cpu = r.one(Deployment.class, "ty-trainyard-worker-cpu");
        Container g = gpu.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertEquals(new Quantity("2"), g.getResources().getLimits().get("nvidia.com/gpu"));
        assertEquals(new Quantity("32Gi"), g.getResources().getLimits().get("memory"));
        assertEquals("auto", env(g, "TRAINYARD_WORKER_GPUS"));
        assertEquals("NVIDIA-A100-SXM4-80GB", gpu.getSpec().getTemplate().getSpec().getNodeSelector().get("nvidia.com/gpu.product"));
        assertEquals("nvidia.com/gpu", gpu.getSpec().getTemplate().getSpec().getTolerations().getFirst().getKey());
        assertNotNull(gpu.getSpec().getTemplate().getSpec().getAffinity().getNodeAffinity());
        assertEquals("{\"trainyard\":{\"worker\":{\"labels\":{\"gpu\":\"a100\"}}}}", env(g, "SPRING_APPLICATION_JSON"));

        for (String set : List.of("defaults", "external-s3-ingress", "pools-keda", "in-chart-postgresql", "minimal")) {
            for (var pod : pods(Chart.template(set)).entrySet()) {
                if (pod.getKey().equals("ty-trainyard-worker-a100")) {
                    continue;
                }
                for (Container c : pod.getValue().getContainers()) {
                    var limits = c.getResources().getLimits();
                    assertTrue(limits == null || !limits.containsKey("nvidia.com/gpu"), set + ": " + pod.getKey() + " has a GPU");
                    if (c.getName().equals("worker")) {
                        assertEquals("none", env(c, "TRAINYARD_WORKER_GPUS"), set + ": " + pod.getKey());
                    }
                }
            }
        }
        Container c = cpu.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertEquals("2", env(c, "TRAINYARD_WORKER_MAXRUNS"));
        assertEquals("http://ty-trainyard-api.ml.svc:8080", env(c, "TRAINYARD_WORKER_PLATFORMURL"));
    }

    @Test
    void kedaScalesEachAutoscaledPoolOnItsOwnResourceClass() {
        Rendered r = Chart.template("pools-keda");
        List<JsonNode> scaled = r.custom("keda.sh/v1alpha1", "ScaledObject");
        assertEquals(2, scaled.size());
        for (JsonNode so : scaled) {
            String name = so.path("metadata").path("name").asText();
            JsonNode spec = so.path("spec");
            assertEquals(Set.of("scaleTargetRef", "minReplicaCount", "maxReplicaCount", "pollingInterval",
                    "cooldownPeriod", "triggers"), fieldNames(spec), name);
            Deployment target = r.one(Deployment.class, spec.path("scaleTargetRef").path("name").asText());
            assertEquals(null, target.getSpec().getReplicas(), name + ": KEDA owns the replica count");
            assertTrue(spec.path("minReplicaCount").isInt() && spec.path("maxReplicaCount").isInt(), name);
            assertTrue(spec.path("minReplicaCount").asInt() <= spec.path("maxReplicaCount").asInt(), name);
            JsonNode trigger = spec.path("triggers").get(0);
            assertEquals("prometheus", trigger.path("type").asText());
            assertEquals(Set.of("serverAddress", "query", "threshold"), fieldNames(trigger.path("metadata")));
            assertTrue(trigger.path("metadata").path("threshold").isTextual(), "KEDA wants the threshold as a string");
            String query = trigger.path("metadata").path("query").asText();
            String wanted = name.endsWith("a100") ? "resource_class=\"gpu\"" : "resource_class=\"cpu\"";
            assertTrue(query.contains("trainyard_queue_depth{namespace=\"ml\"," + wanted + "}"), query);
            assertTrue(query.contains("trainyard_runs{namespace=\"ml\"," + wanted + ",status=\"RUNNING\"}"), query);
        }
        assertEquals("0", scaled.stream().filter(s -> s.path("metadata").path("name").asText().endsWith("a100"))
                .findFirst().orElseThrow().path("spec").path("minReplicaCount").asText());
        assertTrue(Chart.template("defaults").custom("keda.sh/v1alpha1", "ScaledObject").isEmpty());
    }

    @Test
    void networkPoliciesLetWorkersReachOnlyTheApiAndTheApiOnlyTheDatabaseAndTheStore() {
        Rendered r = Chart.template("external-s3-ingress");
        NetworkPolicy workers = r.one(NetworkPolicy.class, "ty-trainyard-worker");
        assertEquals(Map.of("app.kubernetes.io/name", "trainyard", "app.kubernetes.io/instance", "ty",
                "app.kubernetes.io/component", "worker"), workers.getSpec().getPodSelector().getMatchLabels());
        assertEquals(List.of("Ingress", "Egress"), workers.getSpec().getPolicyTypes());
        List<NetworkPolicyEgressRule> out = workers.getSpec().getEgress();
        assertEquals(2, out.size(), "the API and DNS");
        assertEquals("api", out.get(0).getTo().getFirst().getPodSelector().getMatchLabels().get("app.kubernetes.io/component"));
        assertEquals(8080, out.get(0).getPorts().getFirst().getPort().getIntVal());
        assertDns(out.get(1));

        NetworkPolicy api = r.one(NetworkPolicy.class, API);
        List<NetworkPolicyEgressRule> apiOut = api.getSpec().getEgress();
        assertEquals(3, apiOut.size(), "the database, the store and DNS");
        assertEquals("10.20.0.0/16", apiOut.get(0).getTo().getFirst().getIpBlock().getCidr());
        assertEquals(5432, apiOut.get(0).getPorts().getFirst().getPort().getIntVal());
        assertEquals(443, apiOut.get(1).getPorts().getFirst().getPort().getIntVal());
        assertDns(apiOut.get(2));
        assertEquals(8080, api.getSpec().getIngress().getFirst().getPorts().getFirst().getPort().getIntVal());

        // the trial database: the API reaches its pod, and nothing else does
        Rendered trial = Chart.template("in-chart-postgresql");
        var dbOut = trial.one(NetworkPolicy.class, API).getSpec().getEgress();
        assertEquals(2, dbOut.size(), "the database and DNS: a volume store needs no network");
        assertEquals("postgresql", dbOut.get(0).getTo().getFirst().getPodSelector().getMatchLabels().get("app.kubernetes.io/component"));
        NetworkPolicy db = trial.one(NetworkPolicy.class, "ty-trainyard-postgresql");
        assertEquals("api", db.getSpec().getIngress().getFirst().getFrom().getFirst().getPodSelector().getMatchLabels()
                .get("app.kubernetes.io/component"));
        assertTrue(db.getSpec().getEgress().isEmpty());

        assertTrue(Chart.template("minimal").all(NetworkPolicy.class).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"defaults", "external-s3-ingress", "pools-keda", "in-chart-postgresql", "minimal"})
    void replicasAndDisruptionBudgetAgree(String valueSet) {
        Rendered r = Chart.template(valueSet);
        Deployment api = r.one(Deployment.class, API);
        var hpa = r.all(HorizontalPodAutoscaler.class);
        int least = hpa.isEmpty() ? api.getSpec().getReplicas() : hpa.getFirst().getSpec().getMinReplicas();
        if (!hpa.isEmpty()) {
            assertEquals(null, api.getSpec().getReplicas(), valueSet + ": the HPA owns the replica count");
            assertEquals(API, hpa.getFirst().getSpec().getScaleTargetRef().getName());
        }
        var pdbs = r.all(PodDisruptionBudget.class);
        if (least >= 2) {
            assertEquals(1, pdbs.size(), valueSet);
            PodDisruptionBudget pdb = pdbs.getFirst();
            assertEquals(api.getSpec().getSelector().getMatchLabels(), pdb.getSpec().getSelector().getMatchLabels());
            assertTrue(pdb.getSpec().getMaxUnavailable().getIntVal() < least, valueSet + ": a drain must leave one");
        } else {
            assertTrue(pdbs.isEmpty(), valueSet + ": a PDB over one replica would block every drain");
        }
        assertEquals(0, api.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal());
        var labels = api.getSpec().getTemplate().getMetadata().getLabels();
        assertTrue(labels.entrySet().containsAll(api.getSpec().getSelector().getMatchLabels().entrySet()));
        Service svc = r.one(Service.class, API);
        assertTrue(labels.entrySet().containsAll(svc.getSpec().getSelector().entrySet()), valueSet);
    }

    @Test
    void productionShapeRunsThreeApiReplicasOnTheDatabaseAndBucketBehindAnSseFriendlyIngress() {
        Rendered r = Chart.template("external-s3-ingress");
        Deployment api = r.one(Deployment.class, API);
        assertEquals(3, api.getSpec().getReplicas());
        Container c = api.getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertEquals("production", env(c, "SPRING_PROFILES_ACTIVE"));
        assertEquals("jdbc:postgresql://db.internal.example.com:5432/trainyard?sslmode=require", env(c, "TRAINYARD_DB_URL"));
        assertEquals("username", c.getEnv().stream().filter(e -> e.getName().equals("TRAINYARD_DB_USER")).findFirst()
                .orElseThrow().getValueFrom().getSecretKeyRef().getKey());
        assertEquals("s3", env(c, "TRAINYARD_ARTIFACTS_STORE"));
        assertEquals("trainyard-artifacts", env(c, "TRAINYARD_ARTIFACTS_S3_BUCKET"));
        assertEquals("false", env(c, "TRAINYARD_ARTIFACTS_S3_PATHSTYLE"));
        assertEquals("ecs", env(c, "LOGGING_STRUCTURED_FORMAT_CONSOLE"));
        assertEquals("readinessState,db", env(c, "MANAGEMENT_ENDPOINT_HEALTH_GROUP_READINESS_INCLUDE"));
        assertEquals("/actuator/health/readiness", c.getReadinessProbe().getHttpGet().getPath());
        assertEquals("/actuator/health/liveness", c.getLivenessProbe().getHttpGet().getPath());
        assertEquals(List.of("sleep", "5"), c.getLifecycle().getPreStop().getExec().getCommand());
        assertTrue(c.getVolumeMounts().stream().noneMatch(v -> v.getName().equals("artifacts")), "S3 needs no volume");
        assertEquals(2, api.getSpec().getTemplate().getSpec().getTopologySpreadConstraints().size());

        Ingress ingress = r.one(Ingress.class, "ty-trainyard");
        var annotations = ingress.getMetadata().getAnnotations();
        assertEquals("off", annotations.get("nginx.ingress.kubernetes.io/proxy-buffering"));
        assertEquals("3600", annotations.get("nginx.ingress.kubernetes.io/proxy-read-timeout"));
        assertEquals("0", annotations.get("nginx.ingress.kubernetes.io/proxy-body-size"));
        assertEquals("trainyard-tls", ingress.getSpec().getTls().getFirst().getSecretName());
        assertEquals(List.of("trainyard.example.com"), ingress.getSpec().getTls().getFirst().getHosts());
        var path = ingress.getSpec().getRules().getFirst().getHttp().getPaths().getFirst();
        assertEquals("/", path.getPath());
        assertEquals(API, path.getBackend().getService().getName());

        JsonNode monitor = r.custom("monitoring.coreos.com/v1", "ServiceMonitor").getFirst();
        JsonNode endpoint = monitor.path("spec").path("endpoints").get(0);
        assertEquals("http", endpoint.path("port").asText());
        assertEquals(Set.of("port", "path", "interval", "authorization"), fieldNames(endpoint));
        assertEquals("/actuator/prometheus", endpoint.path("path").asText());
        assertEquals("ty-trainyard-tokens", endpoint.path("authorization").path("credentials").path("name").asText());
        assertEquals("kube-prometheus-stack", monitor.path("metadata").path("labels").path("release").asText());
        assertEquals("http", r.one(Service.class, API).getSpec().getPorts().getFirst().getName());
        JsonNode podMonitor = r.custom("monitoring.coreos.com/v1", "PodMonitor").getFirst();
        assertEquals("metrics", podMonitor.path("spec").path("podMetricsEndpoints").get(0).path("port").asText());

        var dashboard = r.one(io.fabric8.kubernetes.api.model.ConfigMap.class, "ty-trainyard-dashboard");
        JsonNode json = readJson(dashboard.getData().get("trainyard.json"));
        assertTrue(json.path("panels").size() >= 8, "the Grafana dashboard has its panels");
    }

    @Test
    void inChartPostgresqlIsASingleMarkedInstanceWithAGeneratedPassword() {
        Rendered r = Chart.template("in-chart-postgresql");
        StatefulSet db = r.one(StatefulSet.class, "ty-trainyard-postgresql");
        assertEquals(1, db.getSpec().getReplicas());
        assertTrue(db.getMetadata().getAnnotations().get("trainyard.dev/purpose").startsWith("trials only"));
        Secret password = r.one(Secret.class, "ty-trainyard-postgresql");
        assertTrue(decode(password.getData().get("password")).matches("[A-Za-z0-9]{43}"), "43 random characters");
        Container api = r.one(Deployment.class, API).getSpec().getTemplate().getSpec().getContainers().getFirst();
        assertEquals("jdbc:postgresql://ty-trainyard-postgresql:5432/trainyard", env(api, "TRAINYARD_DB_URL"));
        var ref = api.getEnv().stream().filter(e -> e.getName().equals("TRAINYARD_DB_PASSWORD")).findFirst().orElseThrow()
                .getValueFrom().getSecretKeyRef();
        assertEquals("ty-trainyard-postgresql", ref.getName());
        assertEquals("/var/lib/trainyard/artifacts", env(api, "TRAINYARD_ARTIFACTSDIR"));
        assertEquals(1, r.one(Deployment.class, API).getSpec().getReplicas());
    }

    @Test
    void everythingOffLeavesTheApiItsServiceAndNothingMore() {
        Rendered r = Chart.template("minimal");
        Set<String> kinds = r.manifests().stream().map(m -> m.path("kind").asText()).collect(Collectors.toSet());
        assertEquals(Set.of("Deployment", "Service"), kinds, "tokens, database and volume all come from the operator");
        Container api = r.one(Deployment.class, API).getSpec().getTemplate().getSpec().getContainers().getFirst();
        var ref = api.getEnv().stream().filter(e -> e.getName().equals("TRAINYARD_BOOTSTRAP_ADMINTOKEN")).findFirst()
                .orElseThrow().getValueFrom().getSecretKeyRef();
        assertEquals("my-trainyard-tokens", ref.getName());
        assertEquals("my-artifacts", r.one(Deployment.class, API).getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals("artifacts")).findFirst().orElseThrow().getPersistentVolumeClaim().getClaimName());
        assertTrue(r.all(ServiceAccount.class).isEmpty());
        assertEquals("default", r.one(Deployment.class, API).getSpec().getTemplate().getSpec().getServiceAccountName());
    }

    @Test
    void workersShutDownWithinTheirGracePeriodAndKeepTheirWorkOnWritableVolumes() {
        Deployment w = Chart.template("defaults").one(Deployment.class, "ty-trainyard-worker-cpu");
        PodSpec spec = w.getSpec().getTemplate().getSpec();
        Container c = spec.getContainers().getFirst();
        assertEquals("60s", env(c, "TRAINYARD_WORKER_SHUTDOWNTIMEOUT"));
        assertEquals("70s", env(c, "SPRING_LIFECYCLE_TIMEOUTPERSHUTDOWNPHASE"));
        assertTrue(spec.getTerminationGracePeriodSeconds() > 70, "the grace period outlasts the worker's shutdown");
        assertEquals("/var/lib/trainyard-worker", env(c, "TRAINYARD_WORKER_WORKDIR"));
        assertTrue(c.getVolumeMounts().stream().anyMatch(v -> v.getMountPath().equals("/var/lib/trainyard-worker")));
        assertEquals("metadata.name", c.getEnv().stream().filter(e -> e.getName().equals("TRAINYARD_WORKER_NAME"))
                .findFirst().orElseThrow().getValueFrom().getFieldRef().getFieldPath());
        assertEquals(2, w.getSpec().getReplicas());
    }

    @Test
    void valuesSchemaRejectsAWrongTypeNamingTheField() {
        var e = assertThrows(IllegalStateException.class,
                () -> Chart.template("defaults", Map.of("api.replicas", "two")));
        assertTrue(e.getMessage().contains("'/api/replicas': got string, want integer"), e.getMessage());
        var typo = assertThrows(IllegalStateException.class,
                () -> Chart.template("defaults", Map.of("api.replicass", 3)));
        assertTrue(typo.getMessage().contains("replicass"), typo.getMessage());
        var store = assertThrows(IllegalStateException.class,
                () -> Chart.template("defaults", Map.of("artifacts.store", "gcs")));
        assertTrue(store.getMessage().contains("'/artifacts/store': value must be one of 'volume', 's3'"), store.getMessage());
    }

    @Test
    void brokenCombinationsFailWithASentenceSayingWhatToChange() {
        var rwo = assertThrows(IllegalStateException.class,
                () -> Chart.template("defaults", Map.of("artifacts.volume.accessMode", "ReadWriteOnce")));
        assertTrue(rwo.getMessage().contains("ReadWriteMany when more than one API replica"), rwo.getMessage());
        var bucket = assertThrows(IllegalStateException.class,
                () -> Chart.template("defaults", Map.of("artifacts.store", "s3")));
        assertTrue(bucket.getMessage().contains("artifacts.s3.bucket is required"), bucket.getMessage());
    }

    private static void assertDns(NetworkPolicyEgressRule rule) {
        assertEquals("kube-dns", rule.getTo().getFirst().getPodSelector().getMatchLabels().get("k8s-app"));
        assertEquals(Set.of(53), rule.getPorts().stream().map(p -> p.getPort().getIntVal()).collect(Collectors.toSet()));
    }

    /** Every pod template, by its owner's name. */
    static Map<String, PodSpec> pods(Rendered r) {
        Map<String, PodSpec> pods = new java.util.LinkedHashMap<>();
        r.all(Deployment.class).forEach(d -> pods.put(d.getMetadata().getName(), d.getSpec().getTemplate().getSpec()));
        r.all(StatefulSet.class).forEach(s -> pods.put(s.getMetadata().getName(), s.getSpec().getTemplate().getSpec()));
        return pods;
    }

    static String env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + " has no " + name)).getValue();
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    private static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        names.addAll(node.propertyNames());
        return names;
    }

    private static JsonNode readJson(String text) {
        try {
            return new tools.jackson.databind.ObjectMapper().readTree(text);
        } catch (Exception e) {
            fail("not JSON: " + e.getMessage());
            return null;
        }
    }
}
