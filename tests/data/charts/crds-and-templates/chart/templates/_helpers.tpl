{{ define "x" }}X{{ end }}
