"""Stand-in for kubernetes.client.models: each model records its fields."""


class _Model:
    def to_dict(self):
        out = {}
        for key, value in vars(self).items():
            if value is None:
                continue
            out[key] = _plain(value)
        return out


def _plain(value):
    if isinstance(value, _Model):
        return value.to_dict()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class V1EnvVar(_Model):
    def __init__(self, name, value=None, value_from=None):
        self.name, self.value, self.value_from = name, value, value_from


class V1EnvVarSource(_Model):
    def __init__(self, secret_key_ref=None, config_map_key_ref=None, field_ref=None, resource_field_ref=None):
        self.secret_key_ref, self.config_map_key_ref = secret_key_ref, config_map_key_ref
        self.field_ref, self.resource_field_ref = field_ref, resource_field_ref


class V1SecretKeySelector(_Model):
    def __init__(self, key, name=None, optional=None):
        self.key, self.name, self.optional = key, name, optional


class V1Volume(_Model):
    def __init__(self, name, config_map=None, empty_dir=None, secret=None):
        self.name, self.config_map, self.empty_dir, self.secret = name, config_map, empty_dir, secret


class V1ConfigMapVolumeSource(_Model):
    def __init__(self, name=None, items=None, default_mode=None, optional=None):
        self.name, self.items, self.default_mode, self.optional = name, items, default_mode, optional


class V1KeyToPath(_Model):
    def __init__(self, key, path, mode=None):
        self.key, self.path, self.mode = key, path, mode


class V1EmptyDirVolumeSource(_Model):
    def __init__(self, medium=None, size_limit=None):
        self.medium, self.size_limit = medium, size_limit
        self.empty = True


class V1VolumeMount(_Model):
    def __init__(self, mount_path, name, read_only=None, sub_path=None):
        self.mount_path, self.name, self.read_only, self.sub_path = mount_path, name, read_only, sub_path


class V1ResourceRequirements(_Model):
    def __init__(self, limits=None, requests=None, claims=None):
        self.limits, self.requests, self.claims = limits, requests, claims
