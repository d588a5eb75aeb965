# Naming any Kubernetes object in violation messages.
package lib.objects

# name(obj) names the object in messages. An object created with only
# metadata.generateName has no name until the API server assigns one, and a
# message built from a missing name would make the whole violation undefined, so
# such objects are still named: after their generateName prefix, else "<unnamed>".
name(obj) := obj.metadata.name if {
	obj.metadata.name != ""
} else := concat("", [obj.metadata.generateName, "<generated>"]) if {
	obj.metadata.generateName != ""
} else := "<unnamed>"
