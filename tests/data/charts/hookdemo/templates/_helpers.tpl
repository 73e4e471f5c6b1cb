{{- define "hookdemo.name" -}}{{ .Release.Name }}-{{ .Chart.Name }}{{- end -}}
