{{/* Names */}}
{{- define "trainyard.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "trainyard.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "trainyard.api.fullname" -}}
{{- printf "%s-api" (include "trainyard.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "trainyard.postgresql.fullname" -}}
{{- printf "%s-postgresql" (include "trainyard.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "trainyard.tokensSecret" -}}
{{- default (printf "%s-tokens" (include "trainyard.fullname" .)) .Values.tokens.existingSecret -}}
{{- end -}}

{{- define "trainyard.api.serviceAccountName" -}}
{{- if .Values.api.serviceAccount.create -}}
{{- default (include "trainyard.api.fullname" .) .Values.api.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.api.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Labels */}}
{{- define "trainyard.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "trainyard.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: trainyard
{{- end -}}

{{- define "trainyard.selectorLabels" -}}
app.kubernetes.io/name: {{ include "trainyard.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "trainyard.api.selectorLabels" -}}
{{ include "trainyard.selectorLabels" . }}
app.kubernetes.io/component: api
{{- end -}}

{{- define "trainyard.worker.selectorLabels" -}}
{{ include "trainyard.selectorLabels" . }}
app.kubernetes.io/component: worker
{{- end -}}

{{- define "trainyard.postgresql.selectorLabels" -}}
{{ include "trainyard.selectorLabels" . }}
app.kubernetes.io/component: postgresql
{{- end -}}

{{/* Images */}}
{{- define "trainyard.image" -}}
{{- $root := index . 0 -}}
{{- $img := index . 1 -}}
{{- $tag := default $root.Chart.AppVersion $img.tag -}}
{{- if $root.Values.image.registry -}}
{{- printf "%s/%s:%s" $root.Values.image.registry $img.repository $tag -}}
{{- else -}}
{{- printf "%s:%s" $img.repository $tag -}}
{{- end -}}
{{- end -}}

{{/* The API's URL inside the cluster, for the workers */}}
{{- define "trainyard.api.url" -}}
{{- printf "http://%s.%s.svc:%d" (include "trainyard.api.fullname" .) .Release.Namespace (int .Values.api.port) -}}
{{- end -}}

{{/* How many API pods can run at once: more than one needs a shared (ReadWriteMany) volume */}}
{{- define "trainyard.api.maxReplicas" -}}
{{- if .Values.api.autoscaling.enabled -}}{{ .Values.api.autoscaling.maxReplicas }}{{- else -}}{{ .Values.api.replicas }}{{- end -}}
{{- end -}}

{{/* Spring Boot's structured console logging, when asked for */}}
{{- define "trainyard.loggingEnv" -}}
{{- if ne .Values.logging.format "text" }}
- name: LOGGING_STRUCTURED_FORMAT_CONSOLE
  value: {{ .Values.logging.format | quote }}
{{- end }}
{{- end -}}

{{/* A random token made once: the value already in the cluster's Secret if there is one */}}
{{- define "trainyard.keptToken" -}}
{{- $existing := index . 0 -}}
{{- $key := index . 1 -}}
{{- $prefix := index . 2 -}}
{{- if and $existing (hasKey $existing.data $key) -}}
{{- index $existing.data $key -}}
{{- else -}}
{{- printf "%s%s" $prefix (randAlphaNum 43) | b64enc -}}
{{- end -}}
{{- end -}}

{{/* Checks that stop a broken combination with a sentence saying what to change */}}
{{- define "trainyard.validate" -}}
{{- if and (not .Values.postgresql.enabled) (not .Values.database.external.url) -}}
{{- fail "database.external.url is required (or set postgresql.enabled=true for a trial database)" -}}
{{- end -}}
{{- if and (not .Values.postgresql.enabled) (not .Values.database.external.existingSecret) -}}
{{- fail "database.external.existingSecret is required: a Secret holding the database password" -}}
{{- end -}}
{{- if and (eq .Values.artifacts.store "s3") (not .Values.artifacts.s3.bucket) -}}
{{- fail "artifacts.s3.bucket is required with artifacts.store=s3" -}}
{{- end -}}
{{- if and (eq .Values.artifacts.store "volume") (gt (int (include "trainyard.api.maxReplicas" .)) 1) (not .Values.artifacts.volume.existingClaim) (ne .Values.artifacts.volume.accessMode "ReadWriteMany") -}}
{{- fail "artifacts.volume.accessMode must be ReadWriteMany when more than one API replica shares the volume (or use artifacts.store=s3)" -}}
{{- end -}}
{{- $names := list -}}
{{- range .Values.workers.pools -}}
{{- if has .name $names -}}
{{- fail (printf "workers.pools: the name %q is used twice" .name) -}}
{{- end -}}
{{- $names = append $names .name -}}
{{- end -}}
{{- end -}}
