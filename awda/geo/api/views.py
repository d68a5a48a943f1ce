"""The geography API: governorates, districts, sub-districts and countries."""

from __future__ import annotations

from rest_framework import generics, serializers

from awda.geo.models import Country, District, Governorate, SubDistrict


class GovernorateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Governorate
        fields = ["pcode", "name", "name_ar", "name_ckb", "name_en"]


class DistrictSerializer(serializers.ModelSerializer):
    class Meta:
        model = District
        fields = ["pcode", "governorate", "name", "name_ar", "name_ckb", "name_en"]


class SubDistrictSerializer(serializers.ModelSerializer):
    class Meta:
        model = SubDistrict
        fields = ["pcode", "district", "name", "name_ar", "name_ckb", "name_en"]


class CountrySerializer(serializers.ModelSerializer):
    class Meta:
        model = Country
        fields = ["iso2", "iso3", "numeric", "name", "name_ar", "name_ckb", "name_en"]


class GovernorateListApi(generics.ListAPIView):
    serializer_class = GovernorateSerializer
    queryset = Governorate.objects.all()
    pagination_class = None


class DistrictListApi(generics.ListAPIView):
    serializer_class = DistrictSerializer
    queryset = District.objects.all()
    filterset_fields = ["governorate"]
    pagination_class = None


class SubDistrictListApi(generics.ListAPIView):
    serializer_class = SubDistrictSerializer
    queryset = SubDistrict.objects.all()
    filterset_fields = ["district"]
    pagination_class = None


class CountryListApi(generics.ListAPIView):
    serializer_class = CountrySerializer
    queryset = Country.objects.all()
    pagination_class = None
