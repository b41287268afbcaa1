"""flowledger XSD Validator: checks BPMN 2.0 XML against the OMG BPMN 2.0 XSDs, served over gRPC."""
