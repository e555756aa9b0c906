{{- define "kpistream.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "kpistream.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "kpistream.processorSelector" -}}
{{ include "kpistream.selectorLabels" . }}
app.kubernetes.io/component: processor
{{- end -}}

{{- define "kpistream.labels" -}}
{{ include "kpistream.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "kpistream.image" -}}
"{{ .Values.image.repository }}:{{ default .Chart.AppVersion .Values.image.tag }}"
{{- end -}}

{{/* Kafka and Schema Registry client settings: plain ones as arguments, secret ones as mounted files. */}}
{{- define "kpistream.clientArgs" -}}
- --bootstrap-servers={{ required "kafka.bootstrapServers is required" .Values.kafka.bootstrapServers }}
- --schema-registry-url={{ required "schemaRegistry.url is required" .Values.schemaRegistry.url }}
{{- range $key, $value := .Values.kafka.properties }}
- --kafka-property={{ $key }}={{ $value }}
{{- end }}
{{- if .Values.kafka.existingSecret }}
- --kafka-config=/etc/kpistream/kafka/{{ .Values.kafka.existingSecretKey }}
{{- end }}
{{- range $key, $value := .Values.schemaRegistry.properties }}
- --schema-registry-property={{ $key }}={{ $value }}
{{- end }}
{{- if .Values.schemaRegistry.existingSecret }}
- --schema-registry-config=/etc/kpistream/schema-registry/{{ .Values.schemaRegistry.existingSecretKey }}
{{- end }}
- --application-id={{ .Values.applicationId }}
{{- end -}}

{{- define "kpistream.clientVolumeMounts" -}}
{{- if .Values.kafka.existingSecret }}
- name: kafka-settings
  mountPath: /etc/kpistream/kafka
  readOnly: true
{{- end }}
{{- if .Values.kafka.tlsSecret }}
- name: kafka-tls
  mountPath: /etc/kpistream/kafka-tls
  readOnly: true
{{- end }}
{{- if .Values.schemaRegistry.existingSecret }}
- name: schema-registry-settings
  mountPath: /etc/kpistream/schema-registry
  readOnly: true
{{- end }}
- name: tmp
  mountPath: /tmp
{{- end -}}

{{- define "kpistream.clientVolumes" -}}
{{- if .Values.kafka.existingSecret }}
- name: kafka-settings
  secret:
    secretName: {{ .Values.kafka.existingSecret }}
    defaultMode: 0400
{{- end }}
{{- if .Values.kafka.tlsSecret }}
- name: kafka-tls
  secret:
    secretName: {{ .Values.kafka.tlsSecret }}
    defaultMode: 0400
{{- end }}
{{- if .Values.schemaRegistry.existingSecret }}
- name: schema-registry-settings
  secret:
    secretName: {{ .Values.schemaRegistry.existingSecret }}
    defaultMode: 0400
{{- end }}
- name: tmp
  emptyDir:
    sizeLimit: 64Mi
{{- end -}}

{{- define "kpistream.podPlacement" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- end -}}
